"""The ``TASKS`` and ``RQ_QUEUES`` settings from three environment variables.

``TASKS_BACKEND`` (``inprocess`` or ``rq``), ``REDIS_URL`` (the Redis of the RQ queues) and
``TASK_QUEUES`` (queue names, highest priority first; ``default`` is always added: tasks
without ``queue_name=`` go there). A settings module (or the settings schema)
applies them with ``globals().update(task_settings(...))``; ``ServiceSettings`` does it with
:func:`apply_task_settings`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Seconds the queues' Redis client waits to connect, and for each answer, unless ``REDIS_URL`` names
#: ``socket_connect_timeout`` or ``socket_timeout``: a paused Redis costs an enqueue about a second,
#: not a hung request. RQ's workers raise ``socket_timeout`` above their blocking dequeue themselves.
QUEUE_SOCKET_TIMEOUT = 1.0

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
        "RQ_QUEUES": {name: {"URL": with_socket_timeouts(redis_url or DEFAULT_REDIS_URL)} for name in names},
    }


def with_socket_timeouts(url: str) -> str:
    """``url`` with :data:`QUEUE_SOCKET_TIMEOUT` as the timeouts it does not name."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    timeouts = {name: str(QUEUE_SOCKET_TIMEOUT) for name in ("socket_connect_timeout", "socket_timeout")}
    return urlunsplit(parts._replace(query=urlencode({**timeouts, **query})))


def apply_task_settings(settings: dict[str, Any]) -> None:
    """Write ``TASKS`` and ``RQ_QUEUES`` from ``TASKS_BACKEND``, ``REDIS_URL`` and ``TASK_QUEUES``,
    unless settings.py configures ``TASKS`` itself (anything else than the kit's default)."""
    if settings.get("TASKS", DEFAULT_TASKS) != DEFAULT_TASKS:
        return
    settings.update(
        task_settings(
            settings.get("TASKS_BACKEND", "inprocess"),
            redis_url=settings.get("REDIS_URL"),
            queues=settings.get("TASK_QUEUES") or [DEFAULT_TASK_QUEUE_NAME],
        )
    )


DEFAULT_TASKS = task_settings()["TASKS"]
