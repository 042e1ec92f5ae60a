"""``ProxyView``: pass every request under a path prefix to an upstream, streaming both ways.

    # urls.py
    path("billing/<path:path>", ProxyView.as_view(upstream="billing", prefix="api/v1/")),

    class BillingProxy(ProxyView):          # or as a class, with the kit's rights
        upstream = "billing"
        permissions = {"billing:read"}

The kit's authentication, permissions and throttles run first (it is a DRF view): nothing is
forwarded for a refused caller, and the body size limit has been applied by the middleware. The
request goes out with its method, path (``prefix`` + the captured ``path``), query, body (streamed)
and end-to-end headers, hop-by-hop headers, ``Host`` and ``Cookie`` (this service's cookies) removed,
``X-Forwarded-For``/``-Proto``/``-Host`` and the request id set. The answer streams back with its
status and end-to-end headers. Upstream failures are the client's problems: 503 no member
reachable, 504 timeout, 502 broken exchange.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import httpx
from django.http import HttpRequest, StreamingHttpResponse
from rest_framework.request import Request
from rest_framework.views import APIView

from kit.conf import kit_settings
from kit.request_id import get_request_id
from kit.services.client import upstream

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
NOT_FORWARDED = HOP_BY_HOP | {"host", "cookie", "content-length", "x-forwarded-for", "x-forwarded-host"}
CHUNK_SIZE = 64 * 1024


class ProxyView(APIView):
    """Forwards ``<prefix><path>`` to the upstream ``upstream``; see the module docstring."""

    upstream: ClassVar[str] = ""
    prefix: ClassVar[str] = ""
    schema = None  # the upstream documents its own API
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def handle(self, request: Request, path: str = "", **kwargs: Any) -> StreamingHttpResponse:
        django_request: HttpRequest = request._request
        answer = upstream(self.upstream).open(
            request.method or "GET",
            self.prefix + path,
            params=django_request.META.get("QUERY_STRING") or None,
            content=_body(django_request),
            headers=forwarded_headers(django_request),
        )
        headers = {
            name: value for name, value in answer.headers.items() if not _hop_by_hop(name, answer.headers)
        }
        return StreamingHttpResponse(_stream(answer), status=answer.status_code, headers=headers)

    get = post = put = patch = delete = head = options = handle  # type: ignore[assignment]


def forwarded_headers(request: HttpRequest) -> dict[str, str]:
    """The request's end-to-end headers, with ``X-Forwarded-*`` and the request id."""
    headers = {
        name: value
        for name, value in request.headers.items()
        if name.lower() not in NOT_FORWARDED and not _hop_by_hop(name, request.headers)
    }
    client = request.META.get("REMOTE_ADDR", "")
    earlier = request.headers.get("X-Forwarded-For")
    headers["X-Forwarded-For"] = f"{earlier}, {client}" if earlier else client
    headers["X-Forwarded-Proto"] = request.scheme or "http"
    headers["X-Forwarded-Host"] = request.get_host()
    headers[kit_settings.REQUEST_ID_HEADER] = get_request_id() or ""
    if request.META.get("CONTENT_LENGTH"):
        headers["Content-Length"] = request.META["CONTENT_LENGTH"]
    return headers


def _hop_by_hop(name: str, headers: Any) -> bool:
    named = {token.strip().lower() for token in (headers.get("Connection") or "").split(",")}
    return name.lower() in HOP_BY_HOP or name.lower() in named


def _body(request: HttpRequest) -> Iterator[bytes] | None:
    if not int(request.META.get("CONTENT_LENGTH") or 0):
        return None

    def chunks() -> Iterator[bytes]:
        while chunk := request.read(CHUNK_SIZE):
            yield chunk

    return chunks()


def _stream(answer: httpx.Response) -> Iterator[bytes]:
    try:
        yield from answer.iter_raw(CHUNK_SIZE)
    finally:
        answer.close()
