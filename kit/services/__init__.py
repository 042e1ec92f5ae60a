"""Calling other services: named upstreams, resilient by default, and concurrent calls.

    from kit.services import upstream, gather

    user = upstream("users").get(f"/api/v1/users/{pk}").data

``ProxyView`` passes a path prefix through to an upstream. Upstreams are configured by
``SERVICE_<NAME>_URL`` and its sibling variables; see docs/services.md.
Needs the ``services`` extra (httpx, tenacity).
"""

from kit.services.client import Upstream, upstream
from kit.services.deadline import deadline
from kit.services.errors import (
    UpstreamBadResponse,
    UpstreamError,
    UpstreamProblem,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from kit.services.gather import gather
from kit.services.proxy import ProxyView
from kit.services.response import UpstreamResponse
from kit.services.rpc import RPCProxy, UpstreamRPCError

__all__ = [
    "ProxyView",
    "RPCProxy",
    "Upstream",
    "UpstreamBadResponse",
    "UpstreamError",
    "UpstreamProblem",
    "UpstreamRPCError",
    "UpstreamResponse",
    "UpstreamTimeout",
    "UpstreamUnavailable",
    "deadline",
    "gather",
    "upstream",
]
