"""Fixtures of the task tests: the two backends, and real ``manage.py runworker`` processes that
share the test database and the test Redis with the test."""

import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.contrib.auth import get_user_model
from django.db import connection
from rest_framework.test import APIClient
from rq import Worker as RQWorker

from kit.conf.tasks import task_settings
from kit.testing.workers import Worker, database_url

ROOT = Path(__file__).resolve().parents[2]


def worker_process(redis_url: str, log_path: Path, *args: str, env: dict[str, str] | None = None) -> Worker:
    """``manage.py runworker *args`` on the test database and ``redis_url`` (the settings' queues)."""
    return Worker(
        redis_url=redis_url,
        database_url=database_url(connection),
        queues=None,
        log_path=log_path,
        cwd=ROOT,
        arguments=args,
        environment=env,
    )


def stop(*workers: Worker) -> None:
    """SIGTERM the workers together (warm shutdown), wait for them, SIGKILL those that do not exit."""
    running = [worker for worker in workers if worker.process.poll() is None]
    for worker in running:
        worker.process.send_signal(signal.SIGTERM)
    for worker in running:
        try:
            worker.process.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for(condition, timeout: float, interval: float = 0.05):
    """Poll ``condition`` until it returns something truthy (returned) or ``timeout`` passes (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return None


@pytest.fixture(scope="session")
def rq_redis(redis_url):
    """The test Redis database, flushed once for the session."""
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    return client


@pytest.fixture(scope="package")
def start_worker(django_db_setup, redis_url, rq_redis, tmp_path_factory):
    """Start RQ worker processes and wait until they listen (stopped after the task tests: a worker
    left listening on the test queues would take jobs meant for other tests' workers).

    ``start_worker(*args, env=..., count=1)``: one worker, or a list of ``count`` workers started
    together.
    """
    workers: list[Worker] = []

    def start(*args: str, env: dict[str, str] | None = None, count: int = 1):
        before = RQWorker.count(connection=rq_redis)
        started = [
            worker_process(redis_url, tmp_path_factory.mktemp("worker") / "worker.log", *args, env=env)
            for _ in range(count)
        ]
        workers.extend(started)
        listening = wait_for(
            lambda: (
                RQWorker.count(connection=rq_redis) >= before + count
                or any(worker.process.poll() is not None for worker in started)
            ),
            30,
        )
        for worker in started:
            assert listening and worker.process.poll() is None, f"runworker failed:\n{worker.log}"
        return started[0] if count == 1 else started

    yield start
    stop(*workers)


@pytest.fixture(scope="package")
def shared_worker(start_worker):
    """One worker with the scheduler, shared by the tests."""
    return start_worker("--with-scheduler")


@pytest.fixture
def use_rq(settings, redis_url):
    """Point this process's task settings at the RQ backend and the test Redis."""
    configured = task_settings("rq", redis_url=redis_url)
    settings.TASKS = configured["TASKS"]
    settings.RQ_QUEUES = configured["RQ_QUEUES"]


@pytest.fixture
def use_inprocess(settings):
    """The kit's default in-process backend as a service configures it (sending on commit)."""
    settings.TASKS = task_settings("inprocess")["TASKS"]


@pytest.fixture(params=["inprocess", "rq"])
def backend(request, transactional_db):
    """Each test runs with the in-process backend and with the RQ backend on a real worker."""
    if request.param == "rq":
        request.getfixturevalue("shared_worker")
        request.getfixturevalue("use_rq")
    else:
        request.getfixturevalue("use_inprocess")
    return request.param


@pytest.fixture
def user(transactional_db):
    return get_user_model().objects.create_user("alice", password="secret-password")


@pytest.fixture
def api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def staff(transactional_db):
    """A staff client: it sees every task (tasks enqueued outside a request have no enqueuer)."""
    api = APIClient()
    api.force_authenticate(get_user_model().objects.create_user("operator", is_staff=True))
    return api
