"""WebSocket metrics for ``/metrics`` (when ``KIT["METRICS_ENABLED"]`` is on; else no-ops).

- ``websocket_connections{consumer}`` (gauge: open connections);
- ``websocket_messages_total{consumer, direction, type}`` (counter: ``in``/``out`` by message type;
  unparsable or oversized messages count as ``invalid``/``too_large``);
- ``websocket_closes_total{consumer, code}`` (counter: close codes).

prometheus-client is imported on first use, after ``manage.py serve`` chose its mode (see
:mod:`kit.monitoring.metrics`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from kit.conf import kit_settings


@cache
def _metrics() -> tuple[Any, Any, Any]:
    from prometheus_client import Counter, Gauge

    return (
        Gauge(
            "websocket_connections", "Open WebSocket connections.", ["consumer"], multiprocess_mode="livesum"
        ),
        Counter(
            "websocket_messages_total",
            "WebSocket messages by direction (in, out) and type.",
            ["consumer", "direction", "type"],
        ),
        Counter(
            "websocket_closes_total", "WebSocket connections closed, by close code.", ["consumer", "code"]
        ),
    )


def connection_opened(consumer: str) -> None:
    if kit_settings.METRICS_ENABLED:
        _metrics()[0].labels(consumer).inc()


def connection_closed(consumer: str, code: int | None) -> None:
    if kit_settings.METRICS_ENABLED:
        connections, _, closes = _metrics()
        connections.labels(consumer).dec()
        closes.labels(consumer, str(code)).inc()


def message_received(consumer: str, message_type: str) -> None:
    if kit_settings.METRICS_ENABLED:
        _metrics()[1].labels(consumer, "in", message_type[:40]).inc()


def message_sent(consumer: str, message_type: str, count: int = 1) -> None:
    if kit_settings.METRICS_ENABLED:
        _metrics()[1].labels(consumer, "out", message_type[:40]).inc(count)
