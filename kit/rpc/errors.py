"""RPC errors: every failure is one of the kit's problems, answered as a JSON-RPC error or an XML-RPC fault.

The standard codes (JSON-RPC 2.0, and the XML-RPC fault code interoperability convention):

- ``-32700`` parse error: the body is not JSON / XML-RPC (``parse_error``);
- ``-32600`` invalid request: not a JSON-RPC request object (``bad_request``);
- ``-32601`` method not found (``not_found``);
- ``-32602`` invalid params (``validation_error``, with ``errors`` per parameter);
- ``-32603`` internal error (``server_error``; the traceback only when ``DEBUG``);
- ``-32000`` any other problem (``unauthenticated``, ``forbidden``, ``not_found`` raised by the
  method, ``conflict``, ``throttled``, a project's registered problems...).

The problem body built by the kit's problem handler (:mod:`kit.errors.problems`) is the error's
``data``: ``{"type", "title", "status", "detail", "instance", "code", "request_id", "errors"?}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from kit.errors.exceptions import Problem
from kit.errors.problems import get_handler

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
SERVER_ERROR = -32000

MESSAGES: dict[int, str] = {
    PARSE_ERROR: "Parse error",
    INVALID_REQUEST: "Invalid Request",
    METHOD_NOT_FOUND: "Method not found",
    INVALID_PARAMS: "Invalid params",
    INTERNAL_ERROR: "Internal error",
}

PROBLEM_RPC_CODES: dict[str, int] = {
    "parse_error": PARSE_ERROR,
    "validation_error": INVALID_PARAMS,
    "server_error": INTERNAL_ERROR,
}
"""The RPC code of a problem raised by a call (by problem code; others: ``SERVER_ERROR``)."""


class RPCProtocolError(Problem):
    """A request that breaks the protocol: a problem with its fixed RPC ``rpc_code``."""

    def __init__(self, rpc_code: int, status: int, code: str, detail: str) -> None:
        super().__init__(status, code, detail)
        self.rpc_code = rpc_code


def invalid_request(detail: str) -> RPCProtocolError:
    return RPCProtocolError(INVALID_REQUEST, 400, "bad_request", detail)


def method_not_found(name: str) -> RPCProtocolError:
    return RPCProtocolError(METHOD_NOT_FOUND, 404, "not_found", f"Method {name!r} not found.")


@dataclass(frozen=True)
class RPCError:
    """An error to answer: the RPC ``code`` and ``message``, the problem body as ``data``, the HTTP
    status and headers of the problem."""

    code: int
    message: str
    data: dict[str, Any]
    status: int
    headers: dict[str, str]

    @property
    def fault_string(self) -> str:
        """XML-RPC's one string: ``"<problem code>: <detail>"``."""
        return f"{self.data['code']}: {self.data['detail']}"


def rpc_error(exc: BaseException, request: HttpRequest | None) -> RPCError:
    """The RPC error for ``exc``, through the kit's problem handler (which logs every 5xx)."""
    handler = get_handler(exc, request)
    problem = handler.run()
    if isinstance(exc, RPCProtocolError):
        code = exc.rpc_code
    else:
        code = PROBLEM_RPC_CODES.get(problem.code, SERVER_ERROR)
    return RPCError(
        code=code,
        message=MESSAGES.get(code, problem.title),
        data=handler.body(problem),
        status=problem.status_code,
        headers=dict(problem.headers),
    )
