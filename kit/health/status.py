"""What ``/status`` reports: which process answers, which code it runs and since when."""

from __future__ import annotations

import os
import platform
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import django
from django.conf import settings
from django.db import connections

import kit
from kit.conf import kit_settings
from kit.health.base import HealthCheck
from kit.health.runner import run_checks

#: When this process started serving (the module is imported when the kit app is ready).
STARTED_AT = datetime.now(UTC)
_started = time.monotonic()


def service_status() -> dict[str, Any]:
    """The body of ``/status``."""
    name = service_name()
    return {
        "name": name,
        "version": service_version(name),
        "kit_version": kit.__version__,
        "django_version": django.get_version(),
        "python_version": platform.python_version(),
        "git_revision": git_revision(),
        "hostname": socket.gethostname(),
        "pid": os.getpid(),
        "started_at": STARTED_AT.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "uptime_seconds": round(time.monotonic() - _started, 1),
        "migrations": last_migrations(),
    }


def service_name() -> str:
    """``KIT["SERVICE_NAME"]``, else the package of the settings module."""
    configured = kit_settings.SERVICE_NAME
    if configured:
        return str(configured)
    module = getattr(settings, "SETTINGS_MODULE", None) or "service"
    return module.split(".")[0]


def service_version(name: str) -> str | None:
    """``KIT["SERVICE_VERSION"]``, else the version of the installed distribution named ``name``."""
    configured = kit_settings.SERVICE_VERSION
    if configured:
        return str(configured)
    from importlib import metadata  # about 0.8 MB per worker: imported by the first /status

    try:
        return metadata.version(name)
    except (metadata.PackageNotFoundError, ValueError):
        return None


def git_revision() -> str | None:
    """``KIT["GIT_REVISION"]`` (env ``GIT_REVISION``), else the first line of ``GIT_REVISION_FILE``."""
    configured = kit_settings.GIT_REVISION
    if configured:
        return str(configured)
    path = kit_settings.GIT_REVISION_FILE
    if not path:
        return None
    try:
        lines = Path(path).read_text(encoding="utf-8").split()
    except OSError:
        return None
    return lines[0] if lines else None


@dataclass
class _LastMigrations(HealthCheck):
    """Reads the newest applied migration of each app (run with a timeout, like a check)."""

    name: ClassVar[str] = "last_migrations"
    alias: str = "default"
    found: dict[str, str] = field(default_factory=dict)

    def run(self) -> None:
        from django.db.migrations.recorder import MigrationRecorder

        recorder = MigrationRecorder(connections[self.alias])
        if recorder.has_table():
            for app, migration in recorder.migration_qs.order_by("id").values_list("app", "name"):
                self.found[app] = migration


def last_migrations() -> dict[str, str] | None:
    """The last applied migration per app, or None when the database cannot tell in time."""
    probe = _LastMigrations()
    return dict(sorted(probe.found.items())) if run_checks([probe]).ok else None
