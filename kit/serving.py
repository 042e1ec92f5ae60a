"""The production HTTP server: gunicorn running the project's WSGI application (``manage.py serve``).

Configuration, lowest precedence first: the kit's defaults and ``KIT`` options (``LISTEN``,
``PORT``, ``WEB_CONCURRENCY``, ``WEB_THREADS``, ``WEB_TIMEOUT``, ...), then gunicorn's own
``GUNICORN_CMD_ARGS`` environment variable (any gunicorn setting), then the options given to
``manage.py serve``. SIGTERM stops gracefully: gunicorn stops accepting connections, lets the
workers finish their requests and answer the connections already queued (up to
``WEB_GRACEFUL_TIMEOUT``) and exits 0.

The workers are gunicorn's sync and gthread workers (:mod:`kit.gunicorn_workers`: draining the
queued connections on a graceful stop) whose own error answers (a request gunicorn cannot parse: a
request line over ``limit_request_line``, a malformed header, a bad chunk) are problem JSON like
every other error, not gunicorn's HTML page.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.config import ControlSocket
from gunicorn.glogging import Logger

from kit.conf import kit_settings
from kit.errors.exceptions import Problem, default_code
from kit.gunicorn_workers import DrainingSyncWorker, DrainingThreadWorker
from kit.request_id import request_id_var

WORKER_CLASSES = {"sync": "kit.serving.SyncWorker", "gthread": "kit.serving.ThreadWorker"}
"""The kit's worker class for each gunicorn worker type ``manage.py serve`` offers."""


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
    worker = overrides.pop("worker_class", None) or ("gthread" if threads > 1 else "sync")
    options: dict[str, Any] = {
        "bind": [default_bind()],
        "workers": default_workers(),
        "threads": threads,
        "worker_class": WORKER_CLASSES.get(worker, worker),
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
        kit_worker = WORKER_CLASSES.get(self.cfg.worker_class_str)  # also one named in GUNICORN_CMD_ARGS
        if kit_worker:
            self.cfg.set("worker_class", kit_worker)

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


def write_problem(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """Answer a request gunicorn refused itself with a problem (in place of ``util.write_error``)."""
    from kit.api.renderers import dumps
    from kit.errors.problems import PROBLEM_CONTENT_TYPE, get_handler

    request_id = uuid.uuid4().hex
    token = request_id_var.set(request_id)
    try:
        problem = Problem(status_int, default_code(status_int), mesg or None)
        body = dumps(get_handler(problem, None).body(problem))
    finally:
        request_id_var.reset(token)
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: {PROBLEM_CONTENT_TYPE}\r\n"
        f"Content-Length: {len(body)}\r\n{kit_settings.REQUEST_ID_HEADER}: {request_id}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


class ProblemErrorsMixin:
    """A gunicorn worker whose own error answers are problem JSON.

    gunicorn's ``Worker.handle_error`` logs the error and writes its HTML page through
    ``gunicorn.util.write_error``; in the kit's workers (and only in their processes) that function
    is :func:`write_problem`.
    """

    def init_process(self) -> None:
        util.write_error = write_problem
        super().init_process()  # type: ignore[misc]


class SyncWorker(ProblemErrorsMixin, DrainingSyncWorker):
    """gunicorn's sync worker, answering its own errors as problems."""


class ThreadWorker(ProblemErrorsMixin, DrainingThreadWorker):
    """gunicorn's gthread worker, answering its own errors as problems."""
