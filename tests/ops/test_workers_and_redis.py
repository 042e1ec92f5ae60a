"""Workers, readiness and ``manage.py health`` against a private Redis that restarts empty, as real
processes: ``manage.py runworker``, ``manage.py serve`` (gunicorn) and ``manage.py health``."""

import json
import threading

import pytest
from redis import Redis
from rq import Queue
from rq import Worker as RQWorker

from kit.tasks.backends.rq_worker import HEARTBEAT_SECONDS
from kit.tasks.queues import rq_queue_name
from tests.ops.processes import (
    PrivateRedis,
    child_database_url,
    free_port,
    http_get,
    manage,
    process_env,
    start_manage,
    stop,
    wait_until_serving,
)
from tests.passes import sqlite_run_only
from tests.tasks.conftest import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.django_db, sqlite_run_only]

DEADLINE = 90  # seconds any recovery below may take before the test fails (the bound is 10 s)


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path / "redis.log")
    redis.start()
    yield redis
    redis.stop()


def service_env(redis: PrivateRedis, **overrides: str) -> dict[str, str]:
    """The environment of the servers and workers: the test database, RQ on the private Redis."""
    return process_env(
        DATABASE_URL=child_database_url(), TASKS_BACKEND="rq", REDIS_URL=redis.url, **overrides
    )


def listed_workers(redis: PrivateRedis) -> list[RQWorker]:
    """The workers Redis lists (what readiness reads)."""
    return RQWorker.all(connection=Redis.from_url(redis.url))


def ready(base: str) -> tuple[int, dict]:
    status, body = http_get(f"{base}/health/ready")
    return status, json.loads(body)


def test_readiness_returns_after_redis_restarts_empty_under_a_busy_worker(private_redis, tmp_path):
    env = service_env(private_redis)
    worker_log = tmp_path / "worker.log"
    worker = start_manage("runworker", env=env, log=worker_log)
    port = free_port()
    server_log = tmp_path / "serve.log"
    server = start_manage("serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", env=env, log=server_log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{base}/health/live", server, server_log)
        assert wait_for(lambda: ready(base)[0] == 200, DEADLINE, 0.5), (
            f"{ready(base)}\n{worker_log.read_text()}"
        )
        queue = Queue(rq_queue_name("default"), connection=Redis.from_url(private_redis.url))
        running = tmp_path / "task.pid"
        queue.enqueue("tests.example.tasks.hang.func", str(running))  # runs for 60 s
        assert wait_for(running.exists, DEADLINE), worker_log.read_text()

        private_redis.stop()  # Redis is gone with the worker's registration, for longer than
        threading.Event().wait(HEARTBEAT_SECONDS + 2)  # a heartbeat period of the busy worker,
        private_redis.start()  # and comes back empty while the task still runs

        assert wait_for(lambda: ready(base)[0] == 200, DEADLINE, 0.5), (
            f"{ready(base)}\n{worker_log.read_text()}"
        )
        assert ready(base)[1]["checks"]["task_queue"]["status"] == "ok"
        assert [w.pid for w in listed_workers(private_redis)] == [worker.pid]
        assert worker.poll() is None, worker_log.read_text()
    finally:
        stop(server)
        worker_code = stop(worker, timeout=DEADLINE)  # warm shutdown: after the task
    assert worker_code == 0, worker_log.read_text()
    assert "heartbeat failed, Redis unreachable" in worker_log.read_text()  # and the worker went on
    assert "registering again" in worker_log.read_text()


def test_sigterm_stops_a_worker_that_lived_through_a_redis_outage(private_redis, tmp_path):
    log = tmp_path / "worker.log"
    worker = start_manage("runworker", "--with-scheduler", env=service_env(private_redis), log=log)
    try:
        idle = wait_for(lambda: [w.get_state() for w in listed_workers(private_redis)] == ["idle"], DEADLINE)
        assert idle, log.read_text()  # waiting for tasks: past its start-up

        private_redis.stop()
        threading.Event().wait(5)  # the worker fails to reach Redis for a while
        private_redis.start()

        assert wait_for(lambda: listed_workers(private_redis), DEADLINE), log.read_text()
        assert worker.poll() is None, log.read_text()
    finally:
        code = stop(worker, timeout=DEADLINE)
    assert code == 0, log.read_text()


def test_health_with_a_redis_cache_and_rq_passes_in_every_fresh_process(private_redis, tmp_path):
    """Each check used to import redis-py for the first time in its own thread, concurrently."""
    env = service_env(private_redis, CACHE_URL=private_redis.url.replace("/0", "/1"))
    log = tmp_path / "worker.log"
    worker = start_manage("runworker", env={**env, "HEALTH_CHECK_ON_STARTUP": "true"}, log=log)
    try:
        assert wait_for(lambda: listed_workers(private_redis) or worker.poll() is not None, DEADLINE)
        assert worker.poll() is None, f"the startup check refused to start the worker:\n{log.read_text()}"
        assert "Startup health check passed" in log.read_text()
        for _ in range(10):
            result = manage("health", "--json", env=env)
            assert result.returncode == 0, result.stdout + result.stderr
            assert set(json.loads(result.stdout)["checks"]) == {
                "database",
                "cache",
                "migrations",
                "task_queue",
                "channel_layer",  # REDIS_URL is the WebSockets' channel layer too
            }
    finally:
        assert stop(worker) == 0, log.read_text()
