"""A real task worker for integration tests: ``manage.py runworker`` in a child process.

The worker runs the project's settings with the RQ backend, on the test database (passed as
``DATABASE_URL``) and on Redis (``REDIS_URL``); the test process enqueues to the same Redis, so a
task goes through Redis, a worker process and the database exactly as in production. The worker
sees committed rows only: tests that use it run with ``transactional_db``.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.test.utils import override_settings

from kit.conf.tasks import BACKENDS, DEFAULT_REDIS_URL
from kit.testing.tasks import configured_tasks, with_backend

SCHEMES = {"sqlite": "sqlite", "postgresql": "postgres", "mysql": "mysql"}
START_TIMEOUT = 60.0  # seconds for the worker to start listening
STOP_TIMEOUT = 15.0  # seconds of warm shutdown before SIGKILL
PR_SET_PDEATHSIG = 1


class WorkerError(Exception):
    """The worker cannot run against this test database, or did not start."""


def database_url(connection: Any) -> str:
    """The URL of ``connection``'s (test) database, for another process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.creation.is_in_memory_db(settings["NAME"]):
            raise WorkerError(
                "a worker process cannot open the in-memory SQLite test database: give the tests a "
                "file, e.g. TEST_DATABASE_URL=sqlite:////tmp/test_myservice.sqlite3, or a server"
            )
        return f"sqlite:///{Path(settings['NAME']).resolve()}"
    if connection.vendor not in SCHEMES:
        raise WorkerError(f"no worker support for the database vendor {connection.vendor!r}")
    credentials = quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"], safe="")
    host = settings["HOST"] or "localhost"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"{SCHEMES[connection.vendor]}://{credentials}@{host}{port}/{settings['NAME']}"


def test_redis_url() -> str:
    """``TEST_REDIS_URL``, else the ``REDIS_URL`` setting, else Redis on localhost."""
    from django.conf import settings

    return os.environ.get("TEST_REDIS_URL") or getattr(settings, "REDIS_URL", None) or DEFAULT_REDIS_URL


def settings_module() -> str:
    """The project's settings module (pytest-django exports it; ``override_settings`` hides it)."""
    module = os.environ.get("DJANGO_SETTINGS_MODULE")
    if not module:
        raise WorkerError("a worker process needs a settings module (DJANGO_SETTINGS_MODULE)")
    return module


def queue_names(tasks: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The queues of every configured backend, ``default`` included."""
    names = [name for config in tasks.values() for name in config.get("QUEUES", [])]
    return list(dict.fromkeys([*names, "default"]))


class Worker:
    """A ``manage.py runworker`` process (``--with-scheduler`` unless other ``arguments`` are given);
    its output is in :attr:`log`.

    ``queues`` become ``TASK_QUEUES`` (None: the settings' own); ``environment`` adds variables.
    """

    def __init__(
        self,
        *,
        redis_url: str,
        database_url: str,
        queues: Sequence[str] | None,
        log_path: Path,
        cwd: Path,
        arguments: Sequence[str] = ("--with-scheduler",),
        environment: Mapping[str, str] | None = None,
    ) -> None:
        self.redis_url = redis_url
        self.log_path = log_path
        variables = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module(),
            "DATABASE_URL": database_url,
            "TASKS_BACKEND": "rq",
            "REDIS_URL": redis_url,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(cwd), os.environ.get("PYTHONPATH")])),
            "PYTHONUNBUFFERED": "1",
            **({"TASK_QUEUES": ",".join(queues)} if queues is not None else {}),
            **(environment or {}),
        }
        variables.pop("TEST_DATABASE_URL", None)
        command = [sys.executable, "-m", "django", "runworker", *arguments, "--verbosity", "1"]
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and command)
                command,
                cwd=cwd,
                env=variables,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_listening(self, timeout: float = START_TIMEOUT) -> None:
        """Return once the worker registered in Redis; raise :class:`WorkerError` if it exited."""
        from redis import Redis
        from rq import Worker as RQWorker

        connection = Redis.from_url(self.redis_url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise WorkerError(f"runworker exited with {self.process.returncode}:\n{self.log}")
            if any(worker.pid == self.process.pid for worker in RQWorker.all(connection=connection)):
                return
            time.sleep(0.05)
        self.stop()
        raise WorkerError(f"runworker did not start listening in {timeout:.0f} s:\n{self.log}")

    def stop(self) -> None:
        """SIGTERM (a warm shutdown: the current task finishes), then SIGKILL if it does not exit."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL the worker's process group (a crash; RQ's work horses have groups of their own)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(STOP_TIMEOUT)


@contextmanager
def running_worker(
    *, redis_url: str, tasks: Mapping[str, Mapping[str, Any]], log_path: Path, cwd: Path
) -> Iterator[Worker]:
    """A worker on the current (test) database and ``redis_url``, listening until the block ends."""
    from django.db import connection

    worker = Worker(
        redis_url=redis_url,
        database_url=database_url(connection),
        queues=queue_names(tasks),
        log_path=log_path,
        cwd=cwd,
    )
    try:
        worker.wait_until_listening()
        yield worker
    finally:
        worker.stop()


@contextmanager
def rq_tasks(redis_url: str, tasks: Mapping[str, Mapping[str, Any]] | None = None) -> Iterator[None]:
    """Enqueue to RQ on ``redis_url`` in this process (aliases and queues of ``TASKS`` kept)."""
    tasks = configured_tasks() if tasks is None else tasks
    rq_queues = {name: {"URL": redis_url} for name in queue_names(tasks)}
    with override_settings(TASKS=with_backend(tasks, BACKENDS["rq"]), RQ_QUEUES=rq_queues):
        yield


def die_with_parent() -> None:
    """In the child before exec: SIGKILL it when the test process dies (Linux), no orphan workers."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
