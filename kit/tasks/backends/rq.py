"""The RQ backend (production): tasks run on ``manage.py runworker`` (or django-rq's ``rqworker``)
processes, through Redis, next to plain django-rq jobs.

A task is enqueued as an RQ job of the module-level :func:`run_job` trampoline with the task's
import path and arguments, so the stock RQ worker and job class run it. The job id is the task
result id; the kit's records (request id, enqueuer, attempts, failures, progress) live in
``job.meta["kit"]``. Retries use RQ's ``Retry`` (delays need a worker started ``--with-scheduler``),
``run_after`` uses RQ's scheduled jobs.

``OPTIONS``: ``RESULT_TTL`` (seconds results are kept, default one day), ``FAILURE_TTL`` (seconds
failed jobs are kept, default one week), ``JOB_TIMEOUT`` (seconds a job may run before the worker
kills it, default the queue's ``DEFAULT_TIMEOUT`` in ``RQ_QUEUES``, else RQ's 180).
Queues are configured in django-rq's ``RQ_QUEUES`` (one entry per name in ``TASKS[...]["QUEUES"]``,
all on the same Redis, as RQ workers require).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import replace
from datetime import datetime
from typing import Any

import django_rq
from asgiref.sync import sync_to_async
from django.conf import settings
from django_rq.utils import reset_db_connections
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus, Retry, get_current_job
from rq.queue import Queue
from rq.registry import ScheduledJobRegistry, StartedJobRegistry
from rq.results import Result

from kit.cache.namespaces import in_namespace
from kit.tasks.backends.base import KitTaskBackend
from kit.tasks.backends.rq_worker import KitWorker
from kit.tasks.compat import (
    DEFAULT_TASK_BACKEND_ALIAS,
    Task,
    TaskResult,
    TaskResultDoesNotExist,
    TaskResultStatus,
    task_backends,
)
from kit.tasks.context import TaskRun
from kit.tasks.exceptions import QueueUnavailable, TaskAbandoned, TaskCanceled, TaskTimeout, Unrecoverable
from kit.tasks.periodic import PeriodicScheduler, periodic_tasks
from kit.tasks.queues import get_queue, renamed
from kit.tasks.records import Failure, TaskInfo, new_metadata, parse_time
from kit.tasks.retries import retry_policy
from kit.tasks.runner import announce_finished, load_task, run_attempt

logger = logging.getLogger("kit.tasks")

TRAMPOLINE = "kit.tasks.backends.rq.run_job"
WAIT_SLICE = 5.0  # seconds of one blocking read while execute() waits for a result

STATUSES = {
    JobStatus.CREATED: TaskResultStatus.READY,
    JobStatus.QUEUED: TaskResultStatus.READY,
    JobStatus.DEFERRED: TaskResultStatus.READY,
    JobStatus.SCHEDULED: TaskResultStatus.READY,
    JobStatus.READY_TO_ENQUEUE: TaskResultStatus.READY,
    JobStatus.RATE_LIMITED: TaskResultStatus.READY,
    JobStatus.STARTED: TaskResultStatus.RUNNING,
    JobStatus.FINISHED: TaskResultStatus.SUCCESSFUL,
    JobStatus.FAILED: TaskResultStatus.FAILED,
    JobStatus.STOPPED: TaskResultStatus.FAILED,
    JobStatus.CANCELED: TaskResultStatus.FAILED,
}


class RQBackend(KitTaskBackend):
    """Runs tasks on RQ workers through django-rq's queues."""

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.failure_ttl: int = self.options.get("FAILURE_TTL", 7 * 24 * 3600)
        self.job_timeout: int | None = self.options.get("JOB_TIMEOUT")
        self._queues: dict[str, Queue] = {}

    def queue(self, name: str) -> Queue:
        """The RQ queue ``name``, in Redis under the namespace (:mod:`kit.tasks.queues`; sending at
        once: the backend handles on-commit itself)."""
        if name not in self._queues:
            self._queues[name] = get_queue(name)
        return self._queues[name]

    @property
    def connection(self) -> Redis:
        return self.queue(self.queue_names[0]).connection

    # Enqueue

    def send(self, task: Task, result: TaskResult, metadata: dict[str, Any]) -> None:
        try:
            self._create_job(task, result, metadata)
        except (RedisConnectionError, RedisTimeoutError) as error:
            detail = f"The task queue {task.queue_name!r} is unavailable; try again later."
            raise QueueUnavailable(detail) from error

    def _create_job(self, task: Task, result: TaskResult, metadata: dict[str, Any]) -> Job:
        queue = self.queue(task.queue_name)
        policy = retry_policy(task)
        retry = Retry(max=policy.max_retries, interval=list(policy.delays)) if policy.max_retries else None
        options: dict[str, Any] = {
            "args": (task.module_path, result.args, result.kwargs),
            "job_id": result.id,
            "description": task.module_path,
            "meta": {"kit": {**metadata, "backend": self.alias}},
            "retry": retry,
            "result_ttl": self.result_ttl,
            "failure_ttl": self.failure_ttl,
            "timeout": self.job_timeout,
        }
        if task.run_after is not None:
            job = queue.create_job(TRAMPOLINE, status=JobStatus.SCHEDULED, **options)
            return queue.schedule_job(job, task.run_after)
        job = queue.enqueue_call(TRAMPOLINE, **options)
        assert isinstance(job, Job)
        return job

    # Results

    def get_info(self, result_id: str) -> TaskInfo:
        return self.info_from_job(self._settle_abandoned(self._fetch(result_id)))

    def _fetch(self, result_id: str) -> Job:
        try:
            job = Job.fetch(result_id, connection=self.connection)
        except (NoSuchJobError, ValueError):  # ValueError: not a valid job id
            raise TaskResultDoesNotExist(result_id) from None
        if job.func_name != TRAMPOLINE:  # a plain django-rq job, not a task
            raise TaskResultDoesNotExist(result_id)
        return job

    def _settle_abandoned(self, job: Job) -> Job:
        """A job still "started" whose worker stopped sending heartbeats was abandoned: let RQ's
        registry cleanup retry or fail it now rather than at the next worker maintenance."""
        if job.get_status(refresh=False) == JobStatus.STARTED:
            registry = StartedJobRegistry(job.origin, connection=job.connection)
            if job.id in registry.get_expired_job_ids():
                registry.cleanup()
                job.refresh()
        return job

    def info_from_job(self, job: Job) -> TaskInfo:
        meta = job.meta.get("kit", {})
        job_status = job.get_status(refresh=False)
        status = STATUSES[job_status]
        worker_ids = list(meta.get("worker_ids", []))
        failures = [Failure.from_dict(failure) for failure in meta.get("failures", [])]
        if status == TaskResultStatus.FAILED and len(failures) < max(len(worker_ids), 1):
            failures.append(_unrecorded_failure(job, job_status))
        task_path, args, kwargs = job.args
        result: TaskResult = TaskResult(
            task=load_task(task_path, self.alias),
            id=job.id,
            status=status,
            enqueued_at=job.created_at,
            started_at=parse_time(meta.get("started_at")),
            finished_at=_finished_at(job) if status in _FINISHED else None,
            last_attempted_at=job.started_at if worker_ids else None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[failure.as_task_error() for failure in failures],
            worker_ids=worker_ids,
        )
        if status == TaskResultStatus.SUCCESSFUL:
            object.__setattr__(result, "_return_value", job.return_value())
        return TaskInfo(
            result=result,
            enqueued_by=meta.get("enqueued_by"),
            request_id=meta.get("request_id"),
            progress=meta.get("progress"),
            failures=failures,
            scheduled_for=meta.get("scheduled_for"),
            next_attempt_at=_scheduled_time(job) if job_status == JobStatus.SCHEDULED else None,
        )

    # Execute

    def execute(
        self, task: Task, args: Sequence[Any], kwargs: Mapping[str, Any], *, timeout: float | None
    ) -> Any:
        result, metadata = self.prepare(task, args, kwargs)
        job = self._create_job(task, result, metadata)
        if not self._wait(job, timeout):
            self._cancel(job)
            assert timeout is not None
            raise TaskTimeout(job.id, timeout)
        info = self.get_info(job.id)
        if info.result.status == TaskResultStatus.SUCCESSFUL:
            return info.result.return_value
        assert info.last_failure is not None
        raise info.last_failure.rebuild()

    async def aexecute(
        self, task: Task, args: Sequence[Any], kwargs: Mapping[str, Any], *, timeout: float | None
    ) -> Any:
        return await sync_to_async(self.execute, thread_sensitive=False)(task, args, kwargs, timeout=timeout)

    def _wait(self, job: Job, timeout: float | None) -> bool:
        """Block until the job has a final result (True) or ``timeout`` seconds passed (False)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        key = Result.get_key(job.id)
        # Each blocking read ends well within the connection's socket timeout (1 s by default).
        socket_timeout = job.connection.connection_pool.connection_kwargs.get("socket_timeout")
        wait_slice = WAIT_SLICE if socket_timeout is None else min(WAIT_SLICE, socket_timeout / 2)
        while True:
            remaining = wait_slice if deadline is None else min(wait_slice, deadline - time.monotonic())
            if remaining <= 0:
                return False
            if job.connection.xread({key: "0-0"}, block=max(1, int(remaining * 1000))):
                return True

    def _cancel(self, job: Job) -> None:
        """Cancel a queued job, or stop a running one (its worker kills the work horse)."""
        with suppress(InvalidJobOperation, NoSuchJobError):
            if job.get_status() == JobStatus.STARTED:
                send_stop_job_command(job.connection, job.id)
            else:
                job.cancel()

    # Periodic tasks and workers

    def claim(self, key: str, ttl: int) -> bool:
        return bool(self.connection.set(in_namespace(key), "1", nx=True, ex=ttl))

    def run_worker(self, queues: Sequence[str], *, burst: bool, with_scheduler: bool) -> None:
        """Run an RQ worker (:class:`~kit.tasks.backends.rq_worker.KitWorker`, unless django-rq's
        ``RQ["WORKER_CLASS"]`` names another; warm shutdown on SIGTERM: the current job finishes
        first) on the queues of the namespace (:mod:`kit.tasks.queues`); with ``with_scheduler``,
        also RQ's scheduler (deferred jobs, retry delays) and the periodic tasks."""
        names = list(queues) or self.queue_names
        worker_class = getattr(settings, "RQ", {}).get("WORKER_CLASS", KitWorker)
        worker = django_rq.get_worker(*names, worker_class=worker_class)
        for queue in worker.queues:
            renamed(queue)
        reset_db_connections()  # no database connection may be shared with the forked work horses
        stop = threading.Event()
        if with_scheduler and not burst:
            PeriodicScheduler(periodic_tasks()).start_in_thread(stop)
        try:
            worker.work(burst=burst, with_scheduler=with_scheduler, logging_level=_log_level())
        finally:
            stop.set()


_FINISHED = {TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED}


def _log_level() -> str:
    return logging.getLevelName(logging.getLogger("kit.tasks").getEffectiveLevel())


def _finished_at(job: Job) -> datetime | None:
    if job.ended_at:
        return job.ended_at
    latest = job.latest_result()
    return latest.created_at if latest else None


def _scheduled_time(job: Job) -> datetime | None:
    """When RQ's scheduler enqueues a scheduled job again: a retry after a delay, or ``run_after``."""
    try:
        return ScheduledJobRegistry(job.origin, connection=job.connection).get_scheduled_time(job)
    except NoSuchJobError:  # enqueued by the scheduler meanwhile
        return None


def _unrecorded_failure(job: Job, status: JobStatus) -> Failure:
    """The failure of an attempt that ended without the trampoline recording it: the work horse was
    killed, the worker died, or the job was canceled or stopped."""
    latest = job.latest_result()
    detail = (latest.exc_string or "").strip() if latest else ""
    if status in (JobStatus.STOPPED, JobStatus.CANCELED):
        kind: type[Exception] = TaskCanceled
        message = detail or "The task was canceled."
    else:
        kind = TaskAbandoned
        message = detail or "The worker running the task stopped before the task finished."
    return Failure(f"{kind.__module__}.{kind.__qualname__}", message, traceback="")


def run_job(task_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """The RQ job function of every task: run one attempt of the task at ``task_path``."""
    job = get_current_job()
    if job is None:
        raise RuntimeError("run_job() runs inside an RQ job only")
    meta = job.meta.setdefault("kit", new_metadata(request_id=None, enqueued_by=None))
    backend = task_backends[meta.get("backend", DEFAULT_TASK_BACKEND_ALIAS)]
    if not isinstance(backend, RQBackend):
        raise RuntimeError(f"This worker's task backend {backend.alias!r} is not RQ: check TASKS_BACKEND")
    task = load_task(task_path, backend.alias)
    meta.setdefault("worker_ids", []).append(job.worker_name or "rq")
    meta["started_at"] = meta.get("started_at") or (job.started_at or datetime.now().astimezone()).isoformat()
    job.save_meta()
    task_result = backend.info_from_job(job).result
    run = TaskRun(
        id=job.id,
        request_id=meta.get("request_id"),
        enqueued_by=meta.get("enqueued_by"),
        scheduled_for=parse_time(meta.get("scheduled_for")),
        attempt=len(meta["worker_ids"]),
        report_progress=lambda progress: _save_progress(job, progress),
    )
    try:
        value = run_attempt(task, args, kwargs, run=run, task_result=task_result, will_retry=job.should_retry)
    except Exception as exc:
        if isinstance(exc, Unrecoverable):
            job.retries_left = 0  # the worker's failure handling reads it: no retry
        meta.setdefault("failures", []).append(Failure.from_exception(exc).as_dict())
        job.save_meta()
        if not job.should_retry:
            announce_finished(task, replace(task_result, status=TaskResultStatus.FAILED))
        raise
    finished = replace(task_result, status=TaskResultStatus.SUCCESSFUL)
    object.__setattr__(finished, "_return_value", value)
    announce_finished(task, finished)
    return value


def _save_progress(job: Job, progress: dict[str, Any]) -> None:
    job.meta["kit"]["progress"] = progress
    job.save_meta()
