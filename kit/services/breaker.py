"""A circuit breaker per upstream member, shared by the threads of a process.

Closed, it lets calls through and counts consecutive failures; at ``threshold`` it opens and
refuses calls for ``reset`` seconds; then it lets one probe call through (half-open): the probe's
success closes it, its failure opens it again. State is per process (each process learns on its
own, as Envoy's outlier detection does per proxy).
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger("kit.services")


class State(enum.IntEnum):
    """Breaker states; the value is what the ``upstream_breaker_state`` gauge shows."""

    CLOSED = 0
    HALF_OPEN = 1
    OPEN = 2


class CircuitBreaker:
    """The breaker of one member (``label``, e.g. ``users http://10.0.0.1:8888/``)."""

    def __init__(
        self,
        label: str,
        *,
        threshold: int,
        reset: float,
        on_change: Callable[[CircuitBreaker], None] = lambda breaker: None,
    ) -> None:
        self.label = label
        self.threshold = threshold
        self.reset = reset
        self.on_change = on_change
        self.state = State.CLOSED
        self.failures = 0
        self.opened_at = 0.0
        self._lock = threading.Lock()

    def allow(self) -> bool:
        """Whether a call may go to the member now (the caller then reports its outcome)."""
        with self._lock:
            if self.state is State.CLOSED:
                return True
            if self.state is State.OPEN and time.monotonic() - self.opened_at >= self.reset:
                self._set(State.HALF_OPEN)
                return True  # the probe: the calls after it are refused until it reports
            return False

    def retry_in(self) -> float:
        """Seconds until an open breaker lets a probe through (0 when not open)."""
        if self.state is not State.OPEN:
            return 0.0
        return max(0.0, self.opened_at + self.reset - time.monotonic())

    def success(self) -> None:
        with self._lock:
            self.failures = 0
            if self.state is not State.CLOSED:
                self._set(State.CLOSED)

    def failure(self) -> None:
        with self._lock:
            self.failures += 1
            if self.state is State.HALF_OPEN or (
                self.state is State.CLOSED and self.failures >= self.threshold
            ):
                self.opened_at = time.monotonic()
                self._set(State.OPEN)

    def _set(self, state: State) -> None:
        self.state = state
        log = logger.warning if state is State.OPEN else logger.info
        log("Circuit breaker of %s is %s", self.label, state.name.lower().replace("_", "-"))
        self.on_change(self)
