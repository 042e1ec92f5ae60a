"""The retry policy of upstream calls, on tenacity.

A failed attempt is retried when the failure is transient (a timeout, a reset connection, an
upstream answering 429, 502, 503 or 504, no member reachable) and a retry is safe: the request was
not sent (the connection failed), or it is idempotent (GET, HEAD, OPTIONS, PUT, DELETE, or any
method with an ``Idempotency-Key`` header). Waits grow exponentially with jitter
(``UPSTREAM_BACKOFF`` doubling up to ``UPSTREAM_BACKOFF_MAX``), or follow the upstream's
``Retry-After`` when longer. No retry starts when its wait would end past the call's deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TypeVar

import tenacity

from kit.conf import kit_settings
from kit.services.errors import UpstreamError, UpstreamProblem

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
IDEMPOTENCY_KEY = "idempotency-key"
T = TypeVar("T")


def is_idempotent(method: str, headers: Mapping[str, str]) -> bool:
    return method in IDEMPOTENT_METHODS or any(name.lower() == IDEMPOTENCY_KEY for name in headers)


class StopAtDeadline(tenacity.stop.stop_base):
    """Stop when the next attempt would start at or after ``ends`` (a monotonic time)."""

    def __init__(self, ends: float) -> None:
        self.ends = ends

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        return time.monotonic() + (retry_state.upcoming_sleep or 0.0) >= self.ends


class WaitBackoffOrRetryAfter(tenacity.wait.wait_base):
    """Exponential backoff with jitter, or the upstream's ``Retry-After`` when that is longer."""

    def __init__(self, initial: float, most: float) -> None:
        self.backoff = tenacity.wait_exponential_jitter(multiplier=initial, max=most, jitter=initial)

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        asked = error.retry_after if isinstance(error, UpstreamProblem) else None
        return max(asked or 0.0, self.backoff(retry_state))


def call_with_retries(
    attempt: Callable[[], T],
    *,
    retries: int,
    ends: float,
    idempotent: bool,
    on_retry: Callable[[UpstreamError, float], None],
) -> T:
    """Run ``attempt`` until it succeeds, fails for good, or retries or time run out.

    The first attempt runs outside tenacity (most calls succeed at once, and building the policy
    costs more than the rest of the client); a retryable failure hands it over to tenacity, which
    sees that failure as its own first attempt.
    """

    def should_retry(error: BaseException) -> bool:
        return isinstance(error, UpstreamError) and error.transient and (error.unsent or idempotent)

    try:
        return attempt()
    except UpstreamError as error:
        if not retries or not should_retry(error):
            raise
        first_failure: UpstreamError | None = error

    def replay_then_attempt() -> T:
        nonlocal first_failure
        if first_failure is not None:
            failure, first_failure = first_failure, None
            raise failure
        return attempt()

    def before_sleep(retry_state: tenacity.RetryCallState) -> None:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        assert isinstance(error, UpstreamError)
        on_retry(error, retry_state.upcoming_sleep)

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(retries + 1) | StopAtDeadline(ends),
        wait=WaitBackoffOrRetryAfter(kit_settings.UPSTREAM_BACKOFF, kit_settings.UPSTREAM_BACKOFF_MAX),
        retry=tenacity.retry_if_exception(should_retry),
        before_sleep=before_sleep,
        reraise=True,
    )
    return retrying(replay_then_attempt)
