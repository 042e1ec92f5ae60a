"""Background tasks: Django's tasks framework, with the kit's backends and additions.

Define tasks with Django's ``@task`` and enqueue them with ``.enqueue()``; the kit adds
:func:`execute` (run and wait), :func:`retry` policies, :func:`periodic` tasks,
:func:`set_progress`, and the status endpoint ``GET /api/tasks/<id>``. See docs/tasks.md.
"""

from kit.tasks.compat import Task, TaskContext, TaskResult, TaskResultStatus, task
from kit.tasks.context import TaskRun, current_task, set_progress
from kit.tasks.exceptions import (
    QueueUnavailable,
    TaskAbandoned,
    TaskCanceled,
    TaskFailed,
    TaskTimeout,
    Unrecoverable,
)
from kit.tasks.execution import aexecute, execute
from kit.tasks.periodic import periodic
from kit.tasks.retries import retry

__all__ = [
    "QueueUnavailable",
    "Task",
    "TaskAbandoned",
    "TaskCanceled",
    "TaskContext",
    "TaskFailed",
    "TaskResult",
    "TaskResultStatus",
    "TaskRun",
    "TaskTimeout",
    "Unrecoverable",
    "aexecute",
    "current_task",
    "execute",
    "periodic",
    "retry",
    "set_progress",
    "task",
]
