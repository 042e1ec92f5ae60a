"""Metrics and log lines of upstream calls.

Metrics go to ``/metrics`` when ``KIT["METRICS_ENABLED"]`` is on (``kit.monitoring.metrics`` is
imported only then). Log lines go to the ``kit.services`` logger: one per attempt at DEBUG, one per
failed attempt at WARNING (the request id is on every record, see docs/logging.md).
"""

from __future__ import annotations

import logging

from kit.conf import kit_settings
from kit.services.breaker import CircuitBreaker

logger = logging.getLogger("kit.services")


def attempt_done(
    upstream: str, method: str, url: str, outcome: str, duration: float, error: str = ""
) -> None:
    """Record one attempt: ``outcome`` is the status, or what went wrong (``connect_error``, ...)."""
    if error:
        logger.warning("%s %s %s failed after %.1f ms: %s", upstream, method, url, duration * 1000, error)
    elif logger.isEnabledFor(logging.DEBUG):
        logger.debug("%s %s %s -> %s in %.1f ms", upstream, method, url, outcome, duration * 1000)
    if kit_settings.METRICS_ENABLED:
        from kit.monitoring import metrics

        metrics.UPSTREAM_REQUESTS.labels(upstream, method, outcome).inc()
        metrics.UPSTREAM_LATENCY.labels(upstream, method).observe(duration)


def retrying(upstream: str, method: str, path: str, wait: float, reason: str) -> None:
    logger.info("%s %s %s: retrying in %.0f ms (%s)", upstream, method, path, wait * 1000, reason)
    if kit_settings.METRICS_ENABLED:
        from kit.monitoring import metrics

        metrics.UPSTREAM_RETRIES.labels(upstream).inc()


def breaker_changed(upstream: str, member: str, breaker: CircuitBreaker) -> None:
    if kit_settings.METRICS_ENABLED:
        from kit.monitoring import metrics

        metrics.UPSTREAM_BREAKER.labels(upstream, member).set(int(breaker.state))
