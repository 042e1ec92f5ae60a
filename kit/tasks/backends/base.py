"""What the kit's task backends share: ids, enqueue on commit, the enqueuer's metadata, and the
extra operations the kit needs beyond Django's backend API (task info, execute, workers, locks)."""

from __future__ import annotations

import uuid
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from asgiref.sync import sync_to_async
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from kit.request_id import get_request_id
from kit.tasks.compat import (
    DEFAULT_TASK_QUEUE_NAME,
    BaseTaskBackend,
    Task,
    TaskResult,
    TaskResultStatus,
    task_enqueued,
)
from kit.tasks.context import enqueuer_id
from kit.tasks.records import TaskInfo, new_metadata


class KitTaskBackend(BaseTaskBackend):
    """A Django task backend with what the kit adds on top.

    ``OPTIONS``: ``ENQUEUE_ON_COMMIT`` (default True: a task enqueued inside a database transaction
    is sent when the transaction commits, never if it rolls back), ``RESULT_TTL`` (seconds results
    are kept, default one day).
    """

    supports_defer = True
    supports_async_task = True
    supports_get_result = True

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.queue_names: list[str] = list(params.get("QUEUES", [DEFAULT_TASK_QUEUE_NAME]))
        self.enqueue_on_commit: bool = self.options.get("ENQUEUE_ON_COMMIT", True)
        self.result_ttl: int = self.options.get("RESULT_TTL", 24 * 3600)

    def enqueue(
        self,
        task: Task,
        args: Sequence[Any],
        kwargs: Mapping[str, Any],
        *,
        scheduled_for: datetime | None = None,
    ) -> TaskResult:
        """Queue ``task``; inside a transaction (and ``ENQUEUE_ON_COMMIT``), once it commits."""
        result, metadata = self.prepare(task, args, kwargs, scheduled_for=scheduled_for)

        def send() -> None:
            self.send(task, result, metadata)
            task_enqueued.send(type(self), task_result=result)

        if self.enqueue_on_commit and transaction.get_connection().in_atomic_block:
            transaction.on_commit(send)
        else:
            send()
        return self.latest(result)

    def prepare(
        self,
        task: Task,
        args: Sequence[Any],
        kwargs: Mapping[str, Any],
        *,
        scheduled_for: datetime | None = None,
    ) -> tuple[TaskResult, dict[str, Any]]:
        """Check ``task``; its fresh result, and its metadata (the request and the enqueuer)."""
        self.validate_task(task)
        result = self.new_result(task, args, kwargs)
        metadata = new_metadata(
            request_id=get_request_id(), enqueued_by=enqueuer_id(), scheduled_for=scheduled_for
        )
        return result, metadata

    def new_result(self, task: Task, args: Sequence[Any], kwargs: Mapping[str, Any]) -> TaskResult:
        """A fresh ``READY`` result with a new id."""
        return TaskResult(
            task=task,
            id=str(uuid.uuid4()),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            finished_at=None,
            last_attempted_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

    def latest(self, result: TaskResult) -> TaskResult:
        """``result`` as the backend knows it now (it may already have run), else as it is."""
        return result

    def get_result(self, result_id: str) -> TaskResult:
        return self.get_info(result_id).result

    async def aexecute(
        self, task: Task, args: Sequence[Any], kwargs: Mapping[str, Any], *, timeout: float | None
    ) -> Any:
        """``execute`` for async code."""
        return await sync_to_async(self.execute, thread_sensitive=True)(task, args, kwargs, timeout=timeout)

    @abstractmethod
    def send(self, task: Task, result: TaskResult, metadata: dict[str, Any]) -> None:
        """Hand the task over to be run (called at enqueue, or when the transaction commits)."""

    @abstractmethod
    def get_info(self, result_id: str) -> TaskInfo:
        """The task's result and records; ``TaskResultDoesNotExist`` for unknown ids."""

    @abstractmethod
    def execute(
        self, task: Task, args: Sequence[Any], kwargs: Mapping[str, Any], *, timeout: float | None
    ) -> Any:
        """Run the task now (not on commit), wait for it and return its value or raise its error."""

    @abstractmethod
    def claim(self, key: str, ttl: int) -> bool:
        """Atomically claim ``key`` for ``ttl`` seconds: True for exactly one caller among processes."""

    @abstractmethod
    def run_worker(self, queues: Sequence[str], *, burst: bool, with_scheduler: bool) -> None:
        """Run a worker for ``queues`` until stopped (``manage.py runworker``)."""


def kit_backend(task: Task) -> KitTaskBackend:
    """The backend of ``task``, which must be one of the kit's (for execute, periodic, status)."""
    backend = task.get_backend()
    if not isinstance(backend, KitTaskBackend):
        raise ImproperlyConfigured(
            f"Task backend {backend.alias!r} is {type(backend).__name__}; this needs one of the kit's "
            "backends (kit.tasks.backends.inprocess.InProcessBackend or kit.tasks.backends.rq.RQBackend)."
        )
    return backend
