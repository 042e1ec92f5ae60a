"""The production HTTP server: gunicorn running the project's WSGI application (``manage.py serve``).

Configuration, lowest precedence first: the kit's defaults and ``KIT`` options (``LISTEN``,
``PORT``, ``WEB_CONCURRENCY``, ``WEB_THREADS``, ``WEB_TIMEOUT``, ...), then gunicorn's own
``GUNICORN_CMD_ARGS`` environment variable (any gunicorn setting), then the options given to
``manage.py serve``. SIGTERM stops gracefully: gunicorn stops accepting connections, lets the
workers finish their requests and answer the connections already queued
(:mod:`kit.gunicorn_workers`, up to ``WEB_GRACEFUL_TIMEOUT``) and exits 0.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from gunicorn.app.base import BaseApplication
from gunicorn.config import ControlSocket
from gunicorn.glogging import Logger

from kit.conf import kit_settings


def default_bind() -> str:
    """``LISTEN:PORT`` (default ``0.0.0.0:8888``), with IPv6 addresses in brackets."""
    listen = str(getattr(settings, "LISTEN", "0.0.0.0"))  # noqa: S104
    port = getattr(settings, "PORT", 8888)
    if ":" in listen and not listen.startswith("["):
        listen = f"[{listen}]"
    return f"{listen}:{port}"


def default_workers() -> int:
    """``WEB_CONCURRENCY``, else two per CPU this process may use plus one, at most 8."""
    configured = kit_settings.WEB_CONCURRENCY
    if configured:
        return int(configured)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(2 * cpus + 1, 8)


def server_options(**overrides: Any) -> dict[str, Any]:
    """gunicorn settings from the kit's options; ``overrides`` (not None) win."""
    threads = int(overrides.get("threads") or kit_settings.WEB_THREADS)
    options: dict[str, Any] = {
        "bind": [default_bind()],
        "workers": default_workers(),
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": kit_settings.WEB_TIMEOUT,
        "graceful_timeout": kit_settings.WEB_GRACEFUL_TIMEOUT,
        "max_requests": kit_settings.WEB_MAX_REQUESTS,
        "max_requests_jitter": kit_settings.WEB_MAX_REQUESTS // 10,
        "logger_class": "kit.serving.GunicornLogger",
        "accesslog": None,
        "proc_name": str(kit_settings.SERVICE_NAME or "kit-service"),
    }
    if kit_settings.METRICS_ENABLED:
        options.update(metrics_hooks())
    options.update({key: value for key, value in overrides.items() if value is not None})
    options.setdefault("control_socket", control_socket(options["proc_name"], options["bind"]))
    return options


def control_socket(proc_name: str, bind: list[str]) -> str:
    """The path of gunicorn's control socket (``gunicornc -s PATH``) for this server: in gunicorn's
    own directory (``$XDG_RUNTIME_DIR``, else ``~/.gunicorn/``), named after the service and its
    first address, e.g. ``orders-0.0.0.0_8888.ctl``. gunicorn's default name ``gunicorn.ctl`` is
    shared by every server of the user: a second server takes it over, and stopping either
    deletes it."""
    name = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{proc_name}-{bind[0]}")
    return str(Path(ControlSocket.default).with_name(f"{name}.ctl"))


def metrics_hooks() -> dict[str, Any]:
    """Turn on prometheus-client's multiprocess mode for the workers about to be forked.

    Uses ``PROMETHEUS_MULTIPROC_DIR`` (emptied first: samples of an earlier run must not count),
    or a temporary directory removed at exit. A dead worker's live gauges are dropped.
    """
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    created = not path
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
        for stale in Path(path).glob("*.db"):
            stale.unlink()
    else:
        path = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="kit-metrics-")
    if "prometheus_client" in sys.modules:
        # Already imported (django-rq imports it at startup): re-choose the value class so that the
        # kit's metrics, created lazily in the workers, write to the shared directory.
        from prometheus_client import values

        values.ValueClass = values.get_value_class()

    def child_exit(server: Any, worker: Any) -> None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

    def on_exit(server: Any) -> None:
        if created:
            shutil.rmtree(path, ignore_errors=True)

    return {"child_exit": child_exit, "on_exit": on_exit}


#: gunicorn's workers, and the kit's that answer the connections queued when a graceful stop begins.
DRAINING_WORKERS = {
    "sync": "kit.gunicorn_workers.DrainingSyncWorker",
    "gthread": "kit.gunicorn_workers.DrainingThreadWorker",
}


class Server(BaseApplication):
    """gunicorn serving ``settings.WSGI_APPLICATION``."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        assert self.cfg is not None
        for key, value in self.options.items():
            self.cfg.set(key, value)
        from_env = self.cfg.parser().parse_args(self.cfg.get_cmd_args_from_env())
        for key, value in vars(from_env).items():
            if value is not None and key != "args":
                self.cfg.set(key.lower(), value)
        draining = DRAINING_WORKERS.get(self.cfg.worker_class_str)
        if draining:
            self.cfg.set("worker_class", draining)

    def load(self) -> Any:
        from django.core.servers.basehttp import get_internal_wsgi_application

        from kit.wsgi import freeze_startup_heap

        application = get_internal_wsgi_application()
        freeze_startup_heap()  # whatever WSGI_APPLICATION is (kit.wsgi does it too)
        return application


class GunicornLogger(Logger):
    """gunicorn's logs go through the project's logging (format, level, request id) like any other."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in list(log.handlers):
                if getattr(handler, "_gunicorn", False):
                    log.removeHandler(handler)
            log.propagate = True
        self.error_log.setLevel(logging.NOTSET)
