"""The in-process backend (the default): a task runs in the process that enqueues it, right away,
or when the current database transaction commits.

Results and progress are kept in Django's cache (``OPTIONS["CACHE_ALIAS"]``, default ``default``)
for ``RESULT_TTL`` seconds, so ``GET /api/tasks/<id>`` works without Redis (with a per-process cache
such as locmem, only in the process that ran the task). Retries happen at once (backoff delays are
not waited for), ``run_after`` is not waited for either, and ``execute()`` cannot enforce its timeout.
Use it for development, tests and small services; use the RQ backend in production.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.cache import caches
from django.utils import timezone
from django.utils.crypto import get_random_string

from kit.tasks.backends.base import KitTaskBackend
from kit.tasks.compat import Task, TaskResult, TaskResultDoesNotExist, TaskResultStatus
from kit.tasks.context import TaskRun
from kit.tasks.exceptions import Unrecoverable
from kit.tasks.periodic import PeriodicScheduler, periodic_tasks
from kit.tasks.records import Failure, TaskInfo, parse_time
from kit.tasks.retries import retry_policy
from kit.tasks.runner import announce_finished, load_task, run_attempt

logger = logging.getLogger("kit.tasks")


class InProcessBackend(KitTaskBackend):
    """Runs tasks in the enqueuing process and keeps their results in Django's cache."""

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.cache_alias: str = self.options.get("CACHE_ALIAS", "default")
        self.worker_id = f"inprocess-{get_random_string(12)}"

    # Enqueue and run

    def send(self, task: Task, result: TaskResult, metadata: dict[str, Any]) -> None:
        record = self._new_record(task, result, metadata)
        self._run(task, record)

    def latest(self, result: TaskResult) -> TaskResult:
        try:
            return self.get_result(result.id)
        except TaskResultDoesNotExist:  # not run yet (on commit), or the cache keeps nothing
            return result

    def execute(
        self, task: Task, args: Sequence[Any], kwargs: Mapping[str, Any], *, timeout: float | None
    ) -> Any:
        result, metadata = self.prepare(task, args, kwargs)
        record = self._new_record(task, result, metadata)
        error = self._run(task, record)
        if error is not None:
            raise error
        return record["return_value"]

    def _new_record(self, task: Task, result: TaskResult, metadata: dict[str, Any]) -> dict[str, Any]:
        record = {
            "id": result.id,
            "task": task.module_path,
            "args": result.args,
            "kwargs": result.kwargs,
            "status": TaskResultStatus.READY.value,
            "enqueued_at": timezone.now(),
            "started_at": None,
            "last_attempted_at": None,
            "finished_at": None,
            "return_value": None,
            "metadata": metadata,
        }
        self._save(record)
        return record

    def _run(self, task: Task, record: dict[str, Any]) -> Exception | None:
        """Run every attempt the retry policy allows; return the final error, or None on success."""
        policy = retry_policy(task)
        metadata = record["metadata"]
        for attempt in range(1, policy.max_attempts + 1):
            now = timezone.now()
            record.update(status=TaskResultStatus.RUNNING.value, last_attempted_at=now)
            record["started_at"] = record["started_at"] or now
            metadata["worker_ids"].append(self.worker_id)
            self._save(record)
            run = TaskRun(
                id=record["id"],
                request_id=metadata["request_id"],
                enqueued_by=metadata["enqueued_by"],
                scheduled_for=parse_time(metadata["scheduled_for"]),
                attempt=attempt,
                report_progress=lambda progress: self._report_progress(record, progress),
            )
            try:
                value = run_attempt(
                    task,
                    record["args"],
                    record["kwargs"],
                    run=run,
                    task_result=self._task_result(task, record),
                    will_retry=attempt < policy.max_attempts,
                )
            except Exception as exc:
                metadata["failures"].append(Failure.from_exception(exc).as_dict())
                if isinstance(exc, Unrecoverable) or attempt == policy.max_attempts:
                    self._finish(task, record, TaskResultStatus.FAILED)
                    return exc
                continue
            record["return_value"] = value
            self._finish(task, record, TaskResultStatus.SUCCESSFUL)
            return None
        raise AssertionError("unreachable: max_attempts >= 1")

    def _finish(self, task: Task, record: dict[str, Any], status: TaskResultStatus) -> None:
        record.update(status=status.value, finished_at=timezone.now())
        self._save(record)
        announce_finished(task, self._task_result(task, record))

    def _report_progress(self, record: dict[str, Any], progress: dict[str, Any]) -> None:
        record["metadata"]["progress"] = progress
        self._save(record)

    # Records

    def _key(self, result_id: str) -> str:
        return f"kit:task:{result_id}"

    def _save(self, record: dict[str, Any]) -> None:
        caches[self.cache_alias].set(self._key(record["id"]), record, self.result_ttl)

    def get_info(self, result_id: str) -> TaskInfo:
        record = caches[self.cache_alias].get(self._key(result_id))
        if record is None:
            raise TaskResultDoesNotExist(result_id)
        metadata = record["metadata"]
        return TaskInfo(
            result=self._task_result(load_task(record["task"], self.alias), record),
            enqueued_by=metadata["enqueued_by"],
            request_id=metadata["request_id"],
            progress=metadata["progress"],
            failures=[Failure.from_dict(failure) for failure in metadata["failures"]],
            scheduled_for=metadata["scheduled_for"],
        )

    def _task_result(self, task: Task, record: dict[str, Any]) -> TaskResult:
        metadata = record["metadata"]
        result: TaskResult = TaskResult(
            task=task,
            id=record["id"],
            status=TaskResultStatus(record["status"]),
            enqueued_at=record["enqueued_at"],
            started_at=record["started_at"],
            finished_at=record["finished_at"],
            last_attempted_at=record["last_attempted_at"],
            args=record["args"],
            kwargs=record["kwargs"],
            backend=self.alias,
            errors=[Failure.from_dict(failure).as_task_error() for failure in metadata["failures"]],
            worker_ids=list(metadata["worker_ids"]),
        )
        object.__setattr__(result, "_return_value", record["return_value"])
        return result

    # Periodic tasks and the worker command

    def claim(self, key: str, ttl: int) -> bool:
        return bool(caches[self.cache_alias].add(key, self.worker_id, ttl))

    def run_worker(self, queues: Sequence[str], *, burst: bool, with_scheduler: bool) -> None:
        """Without a queue there is nothing to consume; with ``--with-scheduler`` the periodic tasks
        run here (in this process) until SIGTERM or SIGINT."""
        if not with_scheduler:
            logger.info("In-process task backend: tasks run where they are enqueued; no worker needed.")
            return
        scheduler = PeriodicScheduler(periodic_tasks())
        if burst:
            scheduler.run_pending()
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        scheduler.run(stop)
