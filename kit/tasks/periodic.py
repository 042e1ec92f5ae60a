"""Periodic tasks: declared in code, run by the worker's scheduler (``runworker --with-scheduler``).

::

    @periodic(cron="*/5 * * * *")      # every five minutes (cron in the TIME_ZONE setting)
    @task
    def purge_expired_sessions(): ...

    @periodic(every=timedelta(seconds=30))
    @task
    def poll_partner_api(): ...

Every scheduler computes the same due times; before enqueuing a run it claims a lock named after
the task and the due time (a Redis ``SET NX`` with the RQ backend), so a run happens once however
many workers run a scheduler. A due time missed while no scheduler was running is skipped.
Modules named ``tasks`` in installed apps are imported when the scheduler starts.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from kit.tasks.backends.base import kit_backend
from kit.tasks.compat import Task, task

logger = logging.getLogger("kit.tasks")

T = TypeVar("T", bound=Callable | Task)
LOCK_SLACK = 60  # seconds a due-time lock outlives the period: tolerates clock skew between workers


@dataclass(frozen=True)
class PeriodicTask:
    """A task and when it runs: a cron expression or a fixed interval (aligned on the epoch)."""

    task: Task
    cron: str | None = None
    every: float | None = None

    @property
    def name(self) -> str:
        return self.task.module_path

    def last_due(self, now: datetime) -> datetime:
        """The latest due time at or before ``now``."""
        if self.every is not None:
            return datetime.fromtimestamp(
                math.floor(now.timestamp() / self.every) * self.every, tz=now.tzinfo
            )
        assert self.cron is not None
        from croniter import croniter  # imported here: a process declaring no cron schedule never loads it

        local = timezone.localtime(now)
        due: datetime = croniter(self.cron, local + timedelta(microseconds=1)).get_prev(datetime)
        return due

    def period(self, due: datetime) -> float:
        """Seconds from ``due`` to the next due time."""
        if self.every is not None:
            return self.every
        from croniter import croniter

        nxt: datetime = croniter(self.cron, due).get_next(datetime)
        return (nxt - due).total_seconds()


_registry: dict[str, PeriodicTask] = {}


def _valid_cron(expression: str) -> bool:
    from croniter import croniter

    return bool(croniter.is_valid(expression))


def periodic(*, cron: str | None = None, every: float | timedelta | None = None) -> Callable[[T], T]:
    """Run the decorated task periodically: ``cron="*/5 * * * *"`` or ``every=timedelta(...)``/seconds.

    Put it above ``@task`` (a plain function is made a task with the default options).
    The task is called without arguments.
    """
    if (cron is None) == (every is None):
        raise ValueError("periodic() takes exactly one of cron= or every=")
    if cron is not None and not _valid_cron(cron):
        raise ValueError(f"Invalid cron expression: {cron!r}")
    seconds = every.total_seconds() if isinstance(every, timedelta) else every
    if seconds is not None and seconds < 1:
        raise ValueError("every= must be at least one second")

    def decorate(func_or_task: T) -> T:
        the_task = func_or_task if isinstance(func_or_task, Task) else task(func_or_task)
        entry = PeriodicTask(task=the_task, cron=cron, every=seconds)
        _registry[entry.name] = entry
        return the_task  # type: ignore[return-value]

    return decorate


def periodic_tasks() -> list[PeriodicTask]:
    """Every periodic task declared in the installed apps' ``tasks`` modules (and already imported)."""
    autodiscover_modules("tasks")
    return list(_registry.values())


class PeriodicScheduler:
    """Enqueues each periodic task once per due time, claiming the due time first."""

    def __init__(self, entries: list[PeriodicTask], *, tick: float = 0.5) -> None:
        self.entries = entries
        self.tick = tick
        now = timezone.now()
        self._last: dict[str, datetime] = {entry.name: entry.last_due(now) for entry in entries}

    def run_pending(self, now: datetime | None = None) -> list[str]:
        """Enqueue the tasks that fell due since the previous call; return the ids enqueued here."""
        now = now or timezone.now()
        enqueued = []
        for entry in self.entries:
            due = entry.last_due(now)
            if due <= self._last[entry.name]:
                continue
            self._last[entry.name] = due
            backend = kit_backend(entry.task)
            key = f"kit:periodic:{entry.name}:{int(due.timestamp())}"
            if not backend.claim(key, int(entry.period(due)) + LOCK_SLACK):
                continue
            logger.info("Periodic task %s due at %s: enqueued", entry.name, due.isoformat())
            result = backend.enqueue(entry.task, (), {}, scheduled_for=due)
            enqueued.append(result.id)
        return enqueued

    def run(self, stop: threading.Event) -> None:
        """Check for due tasks every ``tick`` seconds until ``stop`` is set."""
        logger.info("Periodic scheduler started: %s", ", ".join(sorted(self._last)) or "no periodic tasks")
        while not stop.wait(self.tick):
            try:
                self.run_pending()
            except Exception:
                logger.exception("Periodic scheduler: enqueuing due tasks failed; retrying next tick")

    def start_in_thread(self, stop: threading.Event) -> threading.Thread:
        """Run in a daemon thread until ``stop`` is set."""
        thread = threading.Thread(target=self.run, args=(stop,), name="kit-periodic", daemon=True)
        thread.start()
        return thread
