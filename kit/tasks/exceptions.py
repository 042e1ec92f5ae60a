"""Exceptions of the tasks API."""

from __future__ import annotations

from kit.errors.exceptions import register_problem


class Unrecoverable(Exception):
    """Raise it from a task to fail it at once: no retry follows, whatever the task's retry policy."""


class TaskTimeout(TimeoutError):
    """``execute()`` waited ``timeout`` seconds without a result; the job was canceled."""

    def __init__(self, task_id: str, timeout: float) -> None:
        super().__init__(f"Task {task_id} gave no result within {timeout:g}s; it was canceled.")
        self.task_id = task_id
        self.timeout = timeout


class TaskFailed(Exception):
    """A task failed with an exception that cannot be rebuilt in the caller (not importable here)."""

    def __init__(self, exception_class_path: str, message: str) -> None:
        super().__init__(f"{exception_class_path}: {message}" if message else exception_class_path)
        self.exception_class_path = exception_class_path
        self.message = message


class TaskAbandoned(Exception):
    """The worker running the task died (killed, out of memory, machine lost) before it finished."""


class TaskCanceled(Exception):
    """The task was canceled or stopped before it finished (e.g. by an ``execute()`` timeout)."""


@register_problem(
    status=503, code="service_unavailable", detail="The task queue is unavailable; try again later."
)
class QueueUnavailable(Exception):
    """The task queue's Redis did not answer the enqueue: the caller was not told the task is queued.

    An enqueue whose answer timed out may still reach the queue once Redis resumes (tasks run at
    least once: make them idempotent). In a request it is answered ``503 service_unavailable``.
    """
