"""Failures of the channel layer (Redis): the problem answered, and the log line (rate-limited)."""

from __future__ import annotations

import logging
import sys
import time

from kit.errors.exceptions import Problem

logger = logging.getLogger("kit.realtime")

LAYER_RETRY_SECONDS = 1.0
"""How long a connection (or the process's channel) waits before trying an unreachable layer again."""

LAYER_ANSWER_SECONDS = 2.0
"""How long a group change may wait for the layer: a paused (hung) Redis is an outage, not a wait."""


def idle_receive_errors() -> tuple[type[BaseException], ...]:
    """What a receive of the Redis layer raises when nothing arrived: redis-py 8 times out the
    blocking read of channels-redis (``BZPOPMIN``, 5 s) with its ``TimeoutError``. A paused Redis
    raises the same, so the process channel then asks the layer (joining its groups again) before
    receiving again. Without the Redis layer redis-py is not loaded (nor loaded here): nothing to catch.
    """
    exceptions = sys.modules.get("redis.exceptions")
    return (exceptions.TimeoutError,) if exceptions is not None else ()


class LayerUnavailable(Problem):
    """503 ``service_unavailable``: the channel layer (Redis) cannot be reached."""

    def __init__(self) -> None:
        super().__init__(503, "service_unavailable", "Real-time messaging is unavailable; try again later.")


def layer_outage(error: BaseException) -> None:
    """Log that the channel layer failed (once a second at most, not once per connection)."""
    global _last_outage_log
    now = time.monotonic()
    if now - _last_outage_log >= 1.0:
        _last_outage_log = now
        logger.error("Channel layer unavailable: %s: %s", type(error).__name__, error)


_last_outage_log = 0.0
