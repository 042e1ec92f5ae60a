"""The context a task runs in, and the context it is enqueued from.

While a task runs, :func:`current_task` describes it and ``kit.request_id.get_request_id()`` returns
the id of the request that enqueued it (so every log line of the task carries that id). When code
enqueues a task, :func:`enqueuer_id` tells who is doing it: the account of the request being served
(remembered by :class:`kit.tasks.middleware.TaskContextMiddleware`), or the enqueuer of the running
task.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import HttpRequest

from kit.request_id import request_id_var


@dataclass(frozen=True)
class TaskRun:
    """The task being run: its id, where it came from, and how to report its progress."""

    id: str
    request_id: str | None = None
    enqueued_by: str | None = None
    scheduled_for: datetime | None = None
    attempt: int = 1
    report_progress: Callable[[dict[str, Any]], None] = field(default=lambda progress: None, repr=False)


_current_run: ContextVar[TaskRun | None] = ContextVar("kit_task_run", default=None)
current_request: ContextVar[HttpRequest | None] = ContextVar("kit_task_request", default=None)


def current_task() -> TaskRun | None:
    """The task running in this context, or None outside a task."""
    return _current_run.get()


@contextmanager
def running(run: TaskRun) -> Iterator[TaskRun]:
    """Run the body as ``run``: :func:`current_task` returns it and the request id is the task's."""
    run_token = _current_run.set(run)
    request_token = request_id_var.set(run.request_id)
    try:
        yield run
    finally:
        request_id_var.reset(request_token)
        _current_run.reset(run_token)


def set_progress(done: float, total: float | None = None, *, message: str | None = None) -> None:
    """Report the progress of the running task (shown by the status endpoint); no-op outside a task.

    ``set_progress(3, 10, message="Resizing images")`` gives
    ``{"done": 3, "total": 10, "percent": 30.0, "message": "Resizing images"}``.
    """
    run = _current_run.get()
    if run is None:
        return
    percent = round(100.0 * done / total, 1) if total else None
    run.report_progress({"done": done, "total": total, "percent": percent, "message": message})


def enqueuer_id() -> str | None:
    """The primary key (as text) of the account enqueuing a task now, or None when anonymous."""
    request = current_request.get()
    if request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return str(user.pk)
        return None
    run = _current_run.get()
    return run.enqueued_by if run is not None else None
