"""The ``TASKS`` and ``RQ_QUEUES`` settings from three environment variables.

``TASKS_BACKEND`` (``inprocess`` or ``rq``), ``REDIS_URL`` (the Redis of the RQ queues) and
``TASK_QUEUES`` (queue names, highest priority first; ``default`` is always added: tasks
without ``queue_name=`` go there). A settings module (or the settings schema)
applies them with ``globals().update(task_settings(...))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

BACKENDS = {
    "inprocess": "kit.tasks.backends.inprocess.InProcessBackend",
    "rq": "kit.tasks.backends.rq.RQBackend",
}
DEFAULT_REDIS_URL = "redis://localhost:6379/0"
DEFAULT_TASK_QUEUE_NAME = "default"  # Django's; tasks go there unless declared with queue_name=


def task_settings(
    backend: str = "inprocess",
    *,
    redis_url: str | None = None,
    queues: Sequence[str] = (DEFAULT_TASK_QUEUE_NAME,),
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """``{"TASKS": ..., "RQ_QUEUES": ...}`` for the given backend name, Redis URL and queue names."""
    if backend not in BACKENDS:
        raise ValueError(f"TASKS_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")
    names = list(dict.fromkeys([*queues, DEFAULT_TASK_QUEUE_NAME]))
    return {
        "TASKS": {
            "default": {"BACKEND": BACKENDS[backend], "QUEUES": names, "OPTIONS": dict(options or {})},
        },
        "RQ_QUEUES": {name: {"URL": redis_url or DEFAULT_REDIS_URL} for name in names},
    }
