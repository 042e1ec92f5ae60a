"""Tasks during tests: run in-process by default, or captured without running.

Both keep each backend alias and its ``QUEUES`` and swap only the backend class, so tasks declared
for any queue or alias still validate. In-process tasks run eagerly, at enqueue time, even inside
a transaction (a test's transaction never commits); to test on-commit sending, set ``TASKS``
explicitly in the test.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, overload

from django.conf import settings
from django.test.utils import override_settings

try:  # Django 6.0+ ships the tasks framework; Django 5.2 uses the django-tasks backport
    from django import tasks as tasks_framework
except ImportError:  # pragma: no cover (Python 3.11 / Django 5.2)
    import django_tasks as tasks_framework  # type: ignore[no-redef]

BACKENDS = f"{tasks_framework.__name__}.backends"
IN_PROCESS_BACKEND = "kit.tasks.backends.inprocess.InProcessBackend"
DUMMY_BACKEND = f"{BACKENDS}.dummy.DummyBackend"


def with_backend(
    tasks: Mapping[str, Mapping[str, Any]], backend: str, options: Mapping[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """``TASKS`` with every alias using ``backend`` (aliases and queues kept, options replaced)."""
    configured = tasks or {tasks_framework.DEFAULT_TASK_BACKEND_ALIAS: {}}
    swapped: dict[str, dict[str, Any]] = {}
    for alias, config in configured.items():
        swapped[alias] = {"BACKEND": backend}
        if options:
            swapped[alias]["OPTIONS"] = dict(options)
        if "QUEUES" in config:
            swapped[alias]["QUEUES"] = list(config["QUEUES"])
    return swapped


def configured_tasks() -> dict[str, dict[str, Any]]:
    return dict(getattr(settings, "TASKS", {}))


@contextmanager
def in_process_tasks() -> Iterator[None]:
    """Run every enqueued task at once, in the test's process (the kit's in-process backend)."""
    eager = {"ENQUEUE_ON_COMMIT": False}
    with override_settings(TASKS=with_backend(configured_tasks(), IN_PROCESS_BACKEND, eager)):
        yield


class EnqueuedTasks(Sequence[Any]):
    """The ``TaskResult`` of each task enqueued (not run) since capturing started, in order."""

    def __init__(self, aliases: Sequence[str]) -> None:
        self._aliases = list(aliases)

    @property
    def _backends(self) -> list[Any]:
        """The dummy backends that hold the results (``DummyBackend.results``)."""
        return [tasks_framework.task_backends[alias] for alias in self._aliases]

    @property
    def _results(self) -> list[Any]:
        results = [result for backend in self._backends for result in backend.results]
        return sorted(results, key=lambda result: result.enqueued_at)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        return self._results[index]

    def __len__(self) -> int:
        return len(self._results)

    def __repr__(self) -> str:
        return f"EnqueuedTasks({[f'{r.task.name}{r.args!r}' for r in self._results]})"

    @property
    def names(self) -> list[str]:
        """The names of the enqueued tasks, in order."""
        return [result.task.name for result in self._results]

    def clear(self) -> None:
        for backend in self._backends:
            backend.clear()


@contextmanager
def capture_enqueued_tasks() -> Iterator[EnqueuedTasks]:
    """Keep enqueued tasks without running them (Django's ``DummyBackend``)."""
    captured = with_backend(configured_tasks(), DUMMY_BACKEND)
    with override_settings(TASKS=captured):
        enqueued = EnqueuedTasks(list(captured))
        yield enqueued
        enqueued.clear()
