"""XML-RPC over HTTP, parsed safely: DTDs, entities and external references are refused.

The body is read with the standard library's XML-RPC unmarshaller fed by defusedxml's expat
parser, so a billion-laughs document or an external entity is a parse error (``-32700``), never
expanded; arrays and structs nested deeper than :data:`MAX_NESTING` are a parse error too.
Errors are faults with the JSON-RPC codes and ``faultString`` ``"<problem code>: <detail>"``;
a call answers HTTP 200 ``text/xml``, a body that is no call at all 400. ``None`` travels as
``<nil/>`` both ways.
"""

from __future__ import annotations

import xmlrpc.client
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.xmlrpc import DefusedExpatParser
from django.http import HttpResponse
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from kit.rpc.dispatch import call_method
from kit.rpc.errors import RPCError, rpc_error

CONTENT_TYPE = "text/xml"
MAX_NESTING = 100
"""Deepest nesting of arrays and structs in a call (deeper: a parse error, before any recursion)."""


@dataclass(frozen=True)
class XMLRPCCall:
    """A parsed ``<methodCall>``."""

    method: str
    params: tuple[Any, ...]


class BoundedUnmarshaller(xmlrpc.client.Unmarshaller):
    """The standard unmarshaller, refusing values nested deeper than :data:`MAX_NESTING`."""

    def start(self, tag: str, attrs: Any) -> None:
        super().start(tag, attrs)
        if len(self._marks) > MAX_NESTING:  # one mark per open array or struct
            raise ValueError(f"values are nested deeper than {MAX_NESTING} levels")


class XMLRPCParser(BaseParser):
    """DRF parser of ``text/xml`` bodies holding one XML-RPC ``<methodCall>``."""

    media_type = "text/xml"

    # DRF's parsers return mappings; the RPC view reads the call itself.
    def parse(  # type: ignore[override]
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> XMLRPCCall:
        unmarshaller = BoundedUnmarshaller(use_datetime=True)
        parser = DefusedExpatParser(unmarshaller, forbid_dtd=True)
        try:
            parser.feed(stream.read() if stream is not None else b"")
            parser.close()
            params = unmarshaller.close()
        except (DefusedXmlException, ExpatError, xmlrpc.client.Error, ValueError, TypeError) as exc:
            raise ParseError(f"XML-RPC parse error - {type(exc).__name__}: {exc}") from None
        method = unmarshaller.getmethodname()
        if not method:
            raise ParseError("XML-RPC parse error - the body holds no <methodCall>.")
        return XMLRPCCall(method, params)


class ApplicationXMLRPCParser(XMLRPCParser):
    media_type = "application/xml"


def respond(request: Any, call: XMLRPCCall) -> HttpResponse:
    """The ``<methodResponse>`` for ``call``: its result, or a fault."""
    try:
        result = call_method(request, call.method, list(call.params))
        content = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=True)
    except Exception as exc:
        return fault_response(rpc_error(exc, request))
    return HttpResponse(content.encode(), content_type=CONTENT_TYPE)


def fault_response(error: RPCError, status: int = 200) -> HttpResponse:
    fault = xmlrpc.client.Fault(error.code, error.fault_string)
    content = xmlrpc.client.dumps(fault, methodresponse=True, allow_none=True)
    return HttpResponse(content.encode(), status=status, headers=error.headers, content_type=CONTENT_TYPE)


def error_response(error: RPCError) -> HttpResponse:
    """The request failed as a whole: a fault with the problem's status and headers."""
    return fault_response(error, status=error.status)
