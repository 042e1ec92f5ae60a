"""JSON-RPC 2.0 over HTTP: single calls, batches and notifications.

Calls answer HTTP 200 with ``application/json`` (a response object, or an array of them for a
batch), whatever their outcome; a request made only of notifications answers 204 with no body. A
body that is no request at all answers one error with the problem's status (400).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse

from kit.api.renderers import dumps
from kit.conf import kit_settings
from kit.rpc.dispatch import call_method
from kit.rpc.errors import RPCError, RPCProtocolError, invalid_request, rpc_error

CONTENT_TYPE = "application/json"
ID_TYPES = (str, int, float, type(None))
MISSING = object()


@dataclass(frozen=True)
class Call:
    """One request object: ``id`` is :data:`MISSING` for a notification."""

    id: Any
    method: str
    params: Any

    @property
    def is_notification(self) -> bool:
        return self.id is MISSING


def parse_call(item: Any) -> Call:
    """The call in a request object; raises the ``-32600`` error when it is not one."""
    if not isinstance(item, dict):
        raise invalid_request("A request must be a JSON object.")
    if item.get("jsonrpc") != "2.0":
        raise invalid_request('The "jsonrpc" member must be exactly "2.0".')
    method = item.get("method")
    if not isinstance(method, str):
        raise invalid_request('The "method" member must be a string.')
    params = item.get("params", MISSING)
    if params is not MISSING and not isinstance(params, list | dict):
        raise invalid_request('The "params" member, when present, must be an array or an object.')
    request_id = item.get("id", MISSING)
    if request_id is not MISSING and (isinstance(request_id, bool) or not isinstance(request_id, ID_TYPES)):
        raise invalid_request('The "id" member must be a string, a number or null.')
    return Call(request_id, method, None if params is MISSING else params)


def respond(request: Any, payload: Any) -> HttpResponse:
    """The HTTP response to a parsed JSON-RPC body (one request object or a batch).

    A body that is no request at all (an invalid single request, an empty or oversized batch)
    answers 400 with one error; calls answer 200 whatever their outcome.
    """
    if not isinstance(payload, list):
        try:
            call = parse_call(payload)
        except RPCProtocolError as exc:
            return error_response(rpc_error(exc, request), request_id=_id_of(payload))
        return http_response(answer_call(request, call))
    limit = kit_settings.RPC_MAX_BATCH_SIZE
    if not payload or (limit and len(payload) > limit):
        detail = f"A batch holds 1 to {limit} requests" if limit else "A batch holds at least one request"
        return error_response(rpc_error(invalid_request(f"{detail}, got {len(payload)}."), request))
    answers = [answer for answer in (answer_item(request, item) for item in payload) if answer is not None]
    return http_response(b"[" + b",".join(answers) + b"]" if answers else None)


def http_response(content: bytes | None) -> HttpResponse:
    """200 with the answers, or 204 when there are none (only notifications)."""
    if content is None:
        return HttpResponse(status=204)
    return HttpResponse(content, content_type=CONTENT_TYPE)


def answer_item(request: Any, item: Any) -> bytes | None:
    """The encoded response object for one request object of a batch (None for a notification)."""
    try:
        call = parse_call(item)
    except RPCProtocolError as exc:
        return encode_error(_id_of(item), rpc_error(exc, request))
    return answer_call(request, call)


def answer_call(request: Any, call: Call) -> bytes | None:
    """The encoded result or error of ``call`` (None for a notification)."""
    try:
        result = call_method(request, call.method, call.params)
        if call.is_notification:
            return None
        return dumps({"jsonrpc": "2.0", "id": call.id, "result": result})
    except Exception as exc:
        error = rpc_error(exc, request)
        return None if call.is_notification else encode_error(call.id, error)


def encode_error(request_id: Any, error: RPCError) -> bytes:
    body = {"code": error.code, "message": error.message, "data": error.data}
    return dumps({"jsonrpc": "2.0", "id": request_id, "error": body})


def error_response(error: RPCError, request_id: Any = None) -> HttpResponse:
    """The request failed as a whole: one error object, with the problem's status and headers."""
    return HttpResponse(
        encode_error(request_id, error), status=error.status, headers=error.headers, content_type=CONTENT_TYPE
    )


def _id_of(item: Any) -> Any:
    """The id of an invalid request object, when it has a valid one (else null, as the spec says)."""
    request_id = item.get("id") if isinstance(item, dict) else None
    return request_id if isinstance(request_id, ID_TYPES) and not isinstance(request_id, bool) else None
