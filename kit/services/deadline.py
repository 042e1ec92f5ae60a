"""The ambient deadline of the calls made in a block: ``with deadline(2.0): ...``.

Every upstream call ends by the earliest of its own deadline (``SERVICE_<NAME>_DEADLINE``) and the
ambient one; :func:`kit.services.gather` sets one for all the calls it runs.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_deadline: ContextVar[float | None] = ContextVar("kit_services_deadline", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """Calls in the block end within ``seconds`` (or sooner, under an enclosing deadline)."""
    ends = time.monotonic() + seconds
    current = _deadline.get()
    token = _deadline.set(ends if current is None else min(current, ends))
    try:
        yield ends
    finally:
        _deadline.reset(token)


def ends_by(seconds: float) -> float:
    """The monotonic time a call allowed ``seconds`` must end by, under the ambient deadline."""
    ends = time.monotonic() + seconds
    current = _deadline.get()
    return ends if current is None else min(current, ends)
