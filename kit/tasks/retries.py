"""Retry policies: how often a failing task is tried again, and how long to wait in between.

::

    @retry(max_attempts=5, backoff=10)       # waits 10, 20, 40, 80 seconds between attempts
    @task
    def sync_customer(customer_id): ...

Raise :class:`kit.tasks.Unrecoverable` from the task to stop retrying at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from kit.tasks.compat import Task

POLICY_ATTRIBUTE = "kit_retry_policy"
MAX_DELAY = 3600.0

T = TypeVar("T", bound=Callable[..., Any] | Task)


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` runs at most (the first one included); ``delays[i]`` seconds before retry i+1."""

    max_attempts: int = 1
    delays: tuple[int, ...] = ()

    @property
    def max_retries(self) -> int:
        return self.max_attempts - 1


NO_RETRY = RetryPolicy()


def retry(
    max_attempts: int = 3, *, backoff: float | Sequence[float] = 1.0, max_delay: float = MAX_DELAY
) -> Callable[[T], T]:
    """Decorate a task (above or below ``@task``) to retry it when it raises.

    ``backoff`` is either the first delay in seconds, doubled after each retry up to ``max_delay``
    (exponential backoff), or the explicit list of delays (the last one repeats). Delays are whole
    seconds (the worker's scheduler works to the second); 0 retries at once.
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    policy = RetryPolicy(max_attempts=max_attempts, delays=_delays(max_attempts - 1, backoff, max_delay))

    def decorate(func_or_task: T) -> T:
        func = func_or_task.func if isinstance(func_or_task, Task) else func_or_task
        setattr(func, POLICY_ATTRIBUTE, policy)
        return func_or_task

    return decorate


def retry_policy(task: Task) -> RetryPolicy:
    """The retry policy declared on a task, or :data:`NO_RETRY`."""
    policy: RetryPolicy = getattr(task.func, POLICY_ATTRIBUTE, NO_RETRY)
    return policy


def _delays(retries: int, backoff: float | Sequence[float], max_delay: float) -> tuple[int, ...]:
    if isinstance(backoff, int | float):
        if backoff < 0:
            raise ValueError("backoff must not be negative")
        steps = [min(backoff * 2**i, max_delay) for i in range(retries)]
    else:
        given = list(backoff)
        if not given or min(given) < 0:
            raise ValueError("backoff delays must be a non-empty list of non-negative numbers")
        steps = [given[min(i, len(given) - 1)] for i in range(retries)]
    return tuple(math.ceil(step) for step in steps)
