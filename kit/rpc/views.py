"""``RPCView``: the endpoint at ``KIT["RPC_URL"]`` answering JSON-RPC 2.0 and XML-RPC.

The protocol follows the request's ``Content-Type``: ``text/xml`` or ``application/xml`` is
XML-RPC, anything else JSON-RPC (``application/json``). Authentication and throttling are DRF's,
with the project's classes (``REST_FRAMEWORK``), once per HTTP request; each method then checks its
own rights (:mod:`kit.rpc.dispatch`). A request refused as a whole (a body that is no RPC request,
bad credentials, throttled, unsupported media type) answers one RPC error with the problem's HTTP
status and headers (400; 401 with ``WWW-Authenticate``; 429 with ``Retry-After``); calls answer
200, whatever their outcome.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from rest_framework import views
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, ParseError
from rest_framework.renderers import BaseRenderer, JSONRenderer

from kit.api.parsers import JSONParser
from kit.rpc import jsonrpc, xmlrpc
from kit.rpc.errors import PARSE_ERROR, RPCProtocolError, rpc_error
from kit.rpc.openapi import RPCSchema
from kit.rpc.registry import declared_permissions


def is_xmlrpc(request: Any) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    return content_type in (xmlrpc.XMLRPCParser.media_type, xmlrpc.ApplicationXMLRPCParser.media_type)


class RPCView(views.APIView):
    """POST a JSON-RPC request (or batch) or an XML-RPC ``<methodCall>``."""

    parser_classes = [JSONParser, xmlrpc.XMLRPCParser, xmlrpc.ApplicationXMLRPCParser]
    permission_classes: list[Any] = []  # each method checks its own rights
    schema = RPCSchema()

    def declared_permissions(self) -> set[str]:
        """The rights the registered methods require (``kit.authorization.declared``)."""
        return declared_permissions()

    def perform_content_negotiation(self, request: Any, force: bool = False) -> tuple[BaseRenderer, str]:
        """The answer's format is the request's protocol, whatever ``Accept`` says."""
        return JSONRenderer(), jsonrpc.CONTENT_TYPE

    def post(self, request: Any) -> HttpResponse:
        protocol = xmlrpc if is_xmlrpc(request) else jsonrpc
        try:
            if request.stream is None:
                raise ParseError("The request body is empty.")
            payload = request.data
        except ParseError as exc:
            problem = RPCProtocolError(PARSE_ERROR, 400, "parse_error", str(exc.detail))
            return protocol.error_response(rpc_error(problem, request))
        return protocol.respond(request, payload)

    def handle_exception(self, exc: Exception) -> HttpResponse:  # type: ignore[override]
        """The request failed as a whole: one RPC error carrying the problem's status and headers."""
        if isinstance(exc, NotAuthenticated | AuthenticationFailed):
            auth_header = self.get_authenticate_header(self.request)  # as DRF's handle_exception does
            if auth_header:
                exc.auth_header = auth_header  # type: ignore[union-attr]
            else:
                exc.status_code = 403
        protocol = xmlrpc if is_xmlrpc(self.request) else jsonrpc
        error = rpc_error(exc, self.request)
        views.set_rollback()
        return protocol.error_response(error)
