"""An upstream's answer, decoded: JSON in, the kit's envelope unwrapped, problems turned into errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import orjson

from kit.errors.exceptions import default_code
from kit.services.errors import UpstreamBadResponse, UpstreamProblem

#: Statuses worth retrying (idempotent calls only): the upstream or a proxy before it is overloaded,
#: restarting or unreachable. A 500 is a bug there: retrying it only repeats it.
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
ENVELOPE_KEYS = frozenset({"data", "meta"})


@dataclass(frozen=True)
class UpstreamResponse:
    """A successful answer. ``data`` and ``meta`` are the envelope's members when the upstream is a
    kit service (``{"data": ..., "meta": {...}}``); otherwise ``data`` is the whole JSON body and
    ``meta`` is empty. ``body`` is the decoded JSON as sent (None for an empty body)."""

    upstream: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    body: Any = None
    data: Any = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def request_id(self) -> str | None:
        """The upstream's id of this request (its ``X-Request-ID`` header, else ``meta.request_id``)."""
        return self.headers.get("x-request-id") or self.meta.get("request_id")


def decode(
    upstream: str, status: int, headers: Mapping[str, str], content: bytes, *, retry_after_max: float
) -> UpstreamResponse:
    """The response for a 2xx answer; raise :class:`UpstreamProblem` for an error status and
    :class:`UpstreamBadResponse` for a body that is not JSON."""
    media_type = headers.get("content-type", "").split(";")[0].strip().lower()
    is_json = media_type == "application/json" or media_type.endswith("+json")
    if status >= 400:
        raise _problem(upstream, status, headers, content if is_json else b"", retry_after_max)
    if not content.strip():
        return UpstreamResponse(upstream, status, headers, content)
    if not is_json:
        answered = media_type or "no content type"
        detail = f"The upstream service {upstream!r} answered {answered}, not JSON."
        raise UpstreamBadResponse(upstream, detail)
    body = _json(upstream, content)
    if isinstance(body, dict) and body.keys() == ENVELOPE_KEYS and isinstance(body["meta"], dict):
        return UpstreamResponse(upstream, status, headers, content, body, body["data"], body["meta"])
    return UpstreamResponse(upstream, status, headers, content, body, body)


def _problem(
    upstream: str, status: int, headers: Mapping[str, str], content: bytes, retry_after_max: float
) -> UpstreamProblem:
    try:
        body = orjson.loads(content) if content else None
    except orjson.JSONDecodeError:
        body = None
    problem = body if isinstance(body, dict) else {}
    code = problem.get("code")
    detail = problem.get("detail")
    return UpstreamProblem(
        upstream,
        upstream_status=status,
        upstream_code=code if isinstance(code, str) and code else default_code_for(status),
        upstream_detail=detail if isinstance(detail, str) else None,
        upstream_request_id=headers.get("x-request-id") or _text(problem.get("request_id")),
        body=body,
        retry_after=retry_after(headers.get("retry-after"), retry_after_max),
        transient=status in RETRYABLE_STATUSES,
    )


def default_code_for(status: int) -> str:
    try:
        return default_code(status)
    except ValueError:  # a status HTTP does not name (e.g. 599)
        return "error"


def retry_after(value: str | None, most: float) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta seconds or an HTTP date), capped at ``most``."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        from django.utils import timezone

        seconds = (when - timezone.now()).total_seconds() if when.tzinfo else 0.0
    return min(max(seconds, 0.0), most)


def _json(upstream: str, content: bytes) -> Any:
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        detail = f"The upstream service {upstream!r} answered invalid JSON."
        raise UpstreamBadResponse(upstream, detail) from None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
