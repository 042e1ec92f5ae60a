"""What a call to an upstream raises: problems the kit answers when the caller does not catch them.

Every error names the upstream (``.upstream``, and the ``upstream`` member of the problem body):

- :class:`UpstreamProblem` (502 ``bad_gateway``): the upstream answered an error status; its own
  status, code, detail and request id are on the exception (``upstream_status``, ...);
- :class:`UpstreamBadResponse` (502 ``bad_gateway``): an answer that is not what was asked
  (HTML or invalid JSON, too large, a redirect loop, a TLS failure);
- :class:`UpstreamUnavailable` (503 ``service_unavailable``): no member could be reached, or every
  member's circuit breaker is open (``Retry-After`` says when the next probe is due);
- :class:`UpstreamTimeout` (504 ``gateway_timeout``): the call's deadline passed.

The upstream's own detail stays on the exception and in the log, out of the caller's answer: the
caller's client learns which upstream failed and how, not what it said.
"""

from __future__ import annotations

import math
from typing import Any

from kit.errors.exceptions import Problem


class UpstreamError(Problem):
    """A call to the upstream ``upstream`` failed.

    ``transient``: a retry may help (a timeout, an overloaded upstream); ``unsent``: the upstream
    cannot have acted on the request (the connection failed), so even a POST may be retried.
    """

    answer_status = 502
    answer_code = "bad_gateway"

    def __init__(
        self,
        upstream: str,
        detail: str,
        *,
        transient: bool = False,
        unsent: bool = False,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(
            self.answer_status, self.answer_code, detail, headers=headers, extensions={"upstream": upstream}
        )
        self.upstream = upstream
        self.transient = transient
        self.unsent = unsent


class UpstreamProblem(UpstreamError):
    """The upstream answered an error status (its problem+json read when it sent one)."""

    def __init__(
        self,
        upstream: str,
        *,
        upstream_status: int,
        upstream_code: str,
        upstream_detail: str | None = None,
        upstream_request_id: str | None = None,
        body: Any = None,
        retry_after: float | None = None,
        transient: bool = False,
    ) -> None:
        super().__init__(
            upstream,
            f"The upstream service {upstream!r} answered {upstream_status} {upstream_code}.",
            transient=transient,
        )
        self.upstream_status = upstream_status
        self.upstream_code = upstream_code
        self.upstream_detail = upstream_detail
        self.upstream_request_id = upstream_request_id
        self.body = body
        self.retry_after = retry_after


class UpstreamBadResponse(UpstreamError):
    """The upstream's answer cannot be used (not JSON, too large, redirect loop, TLS failure)."""


class UpstreamUnavailable(UpstreamError):
    """No member of the upstream could be called."""

    answer_status = 503
    answer_code = "service_unavailable"

    def __init__(
        self,
        upstream: str,
        detail: str,
        *,
        transient: bool = False,
        unsent: bool = False,
        retry_after: float | None = None,
    ) -> None:
        headers = {"Retry-After": str(max(1, math.ceil(retry_after)))} if retry_after else None
        super().__init__(upstream, detail, transient=transient, unsent=unsent, headers=headers)


class UpstreamTimeout(UpstreamError):
    """The upstream did not answer in time: the call's deadline (or an attempt's timeout) passed."""

    answer_status = 504
    answer_code = "gateway_timeout"
