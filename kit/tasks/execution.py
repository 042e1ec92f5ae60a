"""``execute``: run a function on a worker and wait for its result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kit.tasks.backends.base import kit_backend
from kit.tasks.compat import Task, task


def execute(
    func: Callable[..., Any] | Task, /, *args: Any, timeout: float | None = None, **kwargs: Any
) -> Any:
    """Run ``func(*args, **kwargs)`` as a task and return its result.

    ``func`` is a ``@task`` or any module-level function (arguments and result must be
    JSON-serializable). With the RQ backend it runs on a worker: after ``timeout`` seconds
    :class:`~kit.tasks.TaskTimeout` is raised and the job is canceled (or stopped, if it started);
    an exception raised in the worker is raised here with the same type and message (or as
    :class:`~kit.tasks.TaskFailed` when the type cannot be rebuilt). The job is sent at once, even
    inside a transaction. With the in-process backend the function runs here and ``timeout`` is
    not enforced.
    """
    the_task = as_task(func)
    return kit_backend(the_task).execute(the_task, args, kwargs, timeout=timeout)


async def aexecute(
    func: Callable[..., Any] | Task, /, *args: Any, timeout: float | None = None, **kwargs: Any
) -> Any:
    """:func:`execute` for async code (the wait does not block the event loop)."""
    the_task = as_task(func)
    return await kit_backend(the_task).aexecute(the_task, args, kwargs, timeout=timeout)


def as_task(func: Callable[..., Any] | Task) -> Task:
    """``func`` itself if it is a task, else a task of the default backend running it."""
    if isinstance(func, Task):
        return func
    made: Task = task(func)
    return made
