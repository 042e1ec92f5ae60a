"""What the kit records around a task run: who enqueued it, from which request, its progress and
the failure of every attempt. Both backends store the same JSON ``metadata`` dict."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.module_loading import import_string

from kit.tasks.compat import TaskError, TaskResult
from kit.tasks.exceptions import TaskFailed


@dataclass(frozen=True)
class Failure:
    """The exception one attempt of a task raised, kept as text (it crosses processes)."""

    exception_class_path: str
    message: str
    traceback: str

    @classmethod
    def from_exception(cls, exc: BaseException) -> Failure:
        kind = type(exc)
        return cls(
            exception_class_path=f"{kind.__module__}.{kind.__qualname__}",
            message=str(exc),
            traceback="".join(traceback.format_exception(exc)),
        )

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Failure:
        return cls(data["exception_class_path"], data.get("message", ""), data.get("traceback", ""))

    def as_dict(self) -> dict[str, str]:
        return {
            "exception_class_path": self.exception_class_path,
            "message": self.message,
            "traceback": self.traceback,
        }

    def as_task_error(self) -> TaskError:
        return TaskError(exception_class_path=self.exception_class_path, traceback=self.traceback)

    def rebuild(self) -> Exception:
        """The exception to raise in the caller: the worker's type and message when the type is an
        importable ``Exception`` taking a message, else :class:`TaskFailed`."""
        exc: Exception | None = None
        try:
            kind = import_string(self.exception_class_path)
        except ImportError:
            kind = None
        if isinstance(kind, type) and issubclass(kind, Exception):
            try:
                exc = kind(self.message) if self.message else kind()
            except Exception:
                exc = None
        if exc is None:
            exc = TaskFailed(self.exception_class_path, self.message)
        if self.traceback:
            exc.add_note(f"Raised in a task worker:\n{self.traceback.rstrip()}")
        return exc


def new_metadata(
    *, request_id: str | None, enqueued_by: str | None, scheduled_for: datetime | None = None
) -> dict[str, Any]:
    """The metadata of a task run that has not started yet."""
    return {
        "request_id": request_id,
        "enqueued_by": enqueued_by,
        "scheduled_for": scheduled_for.isoformat() if scheduled_for else None,
        "worker_ids": [],
        "failures": [],
        "progress": None,
        "started_at": None,
    }


def parse_time(value: str | None) -> datetime | None:
    """A time stored in metadata (ISO 8601), or None."""
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class TaskInfo:
    """A task's :class:`TaskResult` with the kit's records: what the status endpoint shows."""

    result: TaskResult
    enqueued_by: str | None
    request_id: str | None
    progress: dict[str, Any] | None
    failures: list[Failure]
    scheduled_for: str | None = None
    next_attempt_at: datetime | None = None  # a retry's (or a deferred run's) time, while waiting

    @property
    def last_failure(self) -> Failure | None:
        return self.failures[-1] if self.failures else None
