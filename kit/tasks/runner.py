"""Running one attempt of a task, the same way in every backend: request id and progress in
context, log lines that carry the request id, Django's task signals, JSON-normalized results."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.module_loading import import_string

from kit.tasks.compat import (
    Task,
    TaskContext,
    TaskResult,
    normalize_json,
    task,
    task_finished,
    task_started,
)
from kit.tasks.context import TaskRun, running
from kit.tasks.exceptions import Unrecoverable

logger = logging.getLogger("kit.tasks")


def load_task(path: str, backend: str) -> Task:
    """The task at ``path``: a ``@task`` object, or a plain function run as a task (``execute``)."""
    obj = import_string(path)
    if isinstance(obj, Task):
        return obj
    made: Task = task(backend=backend)(obj)
    return made


def run_attempt(
    task: Task,
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    *,
    run: TaskRun,
    task_result: TaskResult,
    will_retry: bool,
) -> Any:
    """Run one attempt of ``task`` as ``run``; return its JSON-normalized return value.

    Exceptions propagate to the backend, after a log line (a warning when another attempt follows,
    an error when the task has failed for good; the traceback is logged by Django's
    ``task_finished`` handler, or by the RQ worker).
    """
    with running(run):
        logger.info(
            "Task %s %s started (attempt %d, request_id=%s)",
            task.module_path,
            run.id,
            run.attempt,
            run.request_id,
        )
        task_started.send(sender=type(task.get_backend()), task_result=task_result)
        try:
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *args, **kwargs)
            else:
                value = task.call(*args, **kwargs)
            value = normalize_json(value)
        except Exception as exc:
            retrying = will_retry and not isinstance(exc, Unrecoverable)
            logger.log(
                logging.WARNING if retrying else logging.ERROR,
                "Task %s %s failed (attempt %d, request_id=%s)%s: %s: %s",
                task.module_path,
                run.id,
                run.attempt,
                run.request_id,
                ", will retry" if retrying else "",
                type(exc).__name__,
                exc,
            )
            raise
        logger.info("Task %s %s succeeded (request_id=%s)", task.module_path, run.id, run.request_id)
        return value


def announce_finished(task: Task, task_result: TaskResult) -> None:
    """Send Django's ``task_finished`` signal for a task that succeeded or failed for good."""
    task_finished.send(sender=type(task.get_backend()), task_result=task_result)
