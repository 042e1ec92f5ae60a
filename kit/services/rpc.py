"""JSON-RPC 2.0 calls to an upstream's RPC endpoint (the kit's ``/api/rpc``, docs/rpc.md)::

    upstream("calc").rpc.calc.add(1, 2)              # method "calc.add", positional params
    upstream("calc").rpc.call("calc.add", a=1, b=2)  # any method name, named params

A call is one POST through the upstream's client (timeouts, breakers, deadline, request id, its
credentials; not retried: a call may change things). An error object in the answer raises
:class:`UpstreamRPCError`, which the kit answers ``502 bad_gateway`` when it is not caught.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from kit.services.errors import UpstreamBadResponse, UpstreamProblem

if TYPE_CHECKING:
    from kit.services.client import Upstream

DEFAULT_PATH = "/api/rpc"

_ids = itertools.count(1)


class UpstreamRPCError(UpstreamProblem):
    """The upstream answered a JSON-RPC error: ``rpc_code`` (``-32601`` ...), ``rpc_message``, and
    from a kit service the problem in ``error.data`` (``upstream_status``, ``upstream_code``, ...)."""

    def __init__(self, upstream: str, error: dict[str, Any], request_id: str | None) -> None:
        data = error.get("data")
        problem: dict[str, Any] = data if isinstance(data, dict) else {}
        status = problem.get("status")
        super().__init__(
            upstream,
            upstream_status=status if isinstance(status, int) else 200,
            upstream_code=str(problem.get("code") or "rpc_error"),
            upstream_detail=problem.get("detail") or error.get("message"),
            upstream_request_id=request_id,
            body=error,
        )
        self.rpc_code = error.get("code")
        self.rpc_message = error.get("message")


class RPCProxy:
    """Calls the JSON-RPC methods of one upstream; attributes build dotted method names."""

    def __init__(self, upstream: Upstream, path: str = DEFAULT_PATH, prefix: str = "") -> None:
        self._upstream, self._path, self._prefix = upstream, path, prefix

    def __getattr__(self, name: str) -> RPCProxy:
        if name.startswith("_"):
            raise AttributeError(name)
        return RPCProxy(self._upstream, self._path, f"{self._prefix}{name}.")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.call(self._prefix.rstrip("."), *args, **kwargs)

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call ``method`` with positional or named parameters (not both) and return its result."""
        if args and kwargs:
            raise TypeError("JSON-RPC takes positional or named parameters, not both")
        call_id = next(_ids)
        request = {"jsonrpc": "2.0", "method": method, "params": kwargs or list(args), "id": call_id}
        response = self._upstream.post(self._path, json=request)
        answer = response.body
        if not isinstance(answer, dict) or answer.get("id") != call_id:
            name = self._upstream.name
            raise UpstreamBadResponse(name, f"The upstream service {name!r} did not answer the RPC call.")
        if "error" in answer:
            raise UpstreamRPCError(self._upstream.name, answer["error"], response.request_id)
        return answer.get("result")
