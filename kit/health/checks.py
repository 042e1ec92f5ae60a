"""The kit's own health checks and the list of checks a probe runs (``get_checks``)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from kit.conf import kit_settings
from kit.health.base import HealthCheck, HealthException

if TYPE_CHECKING:
    from rq.queue import Queue


@dataclass
class AliasCheck(HealthCheck):
    """A check of one connection among several (``DATABASES``, ``CACHES``), labelled ``name:alias``
    unless its alias is ``default``."""

    alias: str = "default"

    @property
    def label(self) -> str:
        return self.name if self.alias == "default" else f"{self.name}:{self.alias}"


@dataclass
class DatabaseCheck(AliasCheck):
    """The database answers a query (on a fresh connection, so a dead server is noticed)."""

    name: ClassVar[str] = "database"

    def prepare(self) -> None:
        connections[self.alias]  # loads the database backend and its driver

    def run(self) -> None:
        with connections[self.alias].cursor() as cursor:
            cursor.execute("SELECT 1")


@dataclass
class CacheCheck(AliasCheck):
    """The cache stores a value and gives it back."""

    name: ClassVar[str] = "cache"

    def prepare(self) -> None:
        caches[self.alias]  # imports the cache backend and its client

    def run(self) -> None:
        cache = caches[self.alias]
        key = f"kit:health:{uuid.uuid4().hex}"
        cache.set(key, "ok", 30)
        try:
            if cache.get(key) != "ok":
                raise HealthException("the cache did not return the value just written")
        finally:
            cache.delete(key)


@dataclass
class MigrationsCheck(AliasCheck):
    """Every migration on disk is recorded as applied in the database.

    The migration graph is read from disk once per process; each run costs one query.
    """

    name: ClassVar[str] = "migrations"

    def prepare(self) -> None:
        connections[self.alias]  # loads the database backend and its driver
        _migrations_on_disk()  # imports the migration modules, once per process

    def run(self) -> None:
        applied = MigrationRecorder(connections[self.alias]).applied_migrations()
        missing = [
            f"{app}.{name}"
            for (app, name), replaces in _migrations_on_disk().items()
            if (app, name) not in applied and not (replaces and all(key in applied for key in replaces))
        ]
        if missing:
            shown = ", ".join(sorted(missing)[:5]) + (", ..." if len(missing) > 5 else "")
            raise HealthException(f"{len(missing)} unapplied migration(s): {shown}")


_on_disk: dict[tuple[str, str], tuple[tuple[str, str], ...]] | None = None
_on_disk_lock = threading.Lock()


def _migrations_on_disk() -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """Each migration of the project's graph, with the migrations it replaces (squashed ones)."""
    global _on_disk
    with _on_disk_lock:
        if _on_disk is None:
            from django.db.migrations.loader import MigrationLoader

            loader = MigrationLoader(None, ignore_no_migrations=True)
            _on_disk = {
                key: tuple(loader.replacements[key].replaces) if key in loader.replacements else ()
                for key in loader.graph.nodes
            }
        return _on_disk


@dataclass
class TaskQueueCheck(HealthCheck):
    """The task queues' Redis answers and at least one worker listens on each queue."""

    name: ClassVar[str] = "task_queue"
    queues: tuple[str, ...] = ("default",)
    require_workers: bool = True

    @cached_property
    def rq_queues(self) -> list[Queue]:
        """django-rq's queues, under the namespace (the first call imports RQ and redis-py)."""
        from kit.tasks.queues import get_queue

        return [get_queue(name) for name in self.queues]

    def prepare(self) -> None:
        self.rq_queues  # noqa: B018

    def run(self) -> None:
        from rq import Worker  # already imported with the queues

        unserved = []
        for queue in self.rq_queues:
            queue.connection.ping()
            if self.require_workers and not Worker.all(queue=queue):
                unserved.append(queue.name)
        if unserved:
            raise HealthException(f"no worker is listening on queue(s): {', '.join(unserved)}")


@dataclass
class ChannelLayerCheck(HealthCheck):
    """The Redis of the channel layer (WebSockets, live events) answers."""

    name: ClassVar[str] = "channel_layer"
    url: str = ""

    def run(self) -> None:
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()


def redis_channel_layer_url() -> str | None:
    """The Redis URL of the default channel layer, when it is channels-redis with a URL host."""
    layer = (getattr(settings, "CHANNEL_LAYERS", None) or {}).get("default") or {}
    if not str(layer.get("BACKEND", "")).startswith("channels_redis."):
        return None
    hosts = (layer.get("CONFIG") or {}).get("hosts") or []
    return hosts[0] if hosts and isinstance(hosts[0], str) else None


@dataclass
class HookCheck(HealthCheck):
    """The project's ``get_health()`` function: healthy unless it raises or returns False."""

    name: ClassVar[str] = "project"
    hook: Callable[[], object]

    def run(self) -> None:
        if self.hook() is False:
            raise HealthException("get_health() returned False")


def task_queue_names() -> tuple[str, ...]:
    """The RQ queues the probes watch: ``KIT["HEALTH_TASK_QUEUES"]``, else those of RQ task backends."""
    configured = kit_settings.HEALTH_TASK_QUEUES
    if configured is not None:
        return tuple(configured)
    backends = getattr(settings, "TASKS", {}) or {}
    if not any(".rq" in str(backend.get("BACKEND", "")).lower() for backend in backends.values()):
        return ()
    return tuple(getattr(settings, "RQ_QUEUES", None) or {"default": {}})


def get_checks(*, startup: bool = False) -> list[HealthCheck]:
    """The checks a probe runs: the kit's own, then the project's hook and registered checks.

    ``startup=True`` leaves out the worker requirement: servers may well boot before workers.
    """
    checks: list[HealthCheck] = [DatabaseCheck(alias) for alias in settings.DATABASES]
    checks += [
        CacheCheck(alias)
        for alias, config in settings.CACHES.items()
        if not config.get("BACKEND", "").endswith(".DummyCache")
    ]
    checks.append(MigrationsCheck())
    queues = task_queue_names()
    if queues:
        checks.append(
            TaskQueueCheck(queues, require_workers=kit_settings.HEALTH_REQUIRE_WORKERS and not startup)
        )
    channel_layer_url = redis_channel_layer_url()
    if channel_layer_url:
        checks.append(ChannelLayerCheck(url=channel_layer_url))
    if kit_settings.HEALTH_HOOK is not None:
        checks.append(HookCheck(hook=kit_settings.HEALTH_HOOK))
    if any(entry.get("READY_CHECK") for entry in kit_settings.UPSTREAMS.values()):
        from kit.services.health import upstream_checks

        checks += upstream_checks()
    checks += [item() if isinstance(item, type) else item for item in kit_settings.HEALTH_CHECKS]
    return checks
