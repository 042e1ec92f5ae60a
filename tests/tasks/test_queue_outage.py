"""Enqueueing while the queues' Redis is down or paused: a 503 problem at once, never a hung
request; enqueues work again as soon as Redis answers, without a restart."""

import os
import signal
import threading

import pytest

from kit.conf.tasks import task_settings
from tests.ops.processes import PrivateRedis
from tests.passes import sqlite_run_only

pytestmark = [pytest.mark.slow, sqlite_run_only]

DEADLINE = 30  # seconds without an answer that make the request count as hung (the timeout is 1 s)


@pytest.fixture
def queue_redis(settings, tmp_path):
    """The RQ backend on a private Redis, configured as ``TASKS_BACKEND=rq`` configures it."""
    redis = PrivateRedis(tmp_path / "redis.log")
    redis.start()
    configured = task_settings("rq", redis_url=redis.url)
    settings.TASKS, settings.RQ_QUEUES = configured["TASKS"], configured["RQ_QUEUES"]
    yield redis
    redis.stop()


def enqueue(api, name: str):
    """POST an item to create in a task; fail if no answer comes before the deadline."""
    api.raise_request_exception = False  # a 5xx is the answer under test, not an error of the test
    answers = []
    thread = threading.Thread(
        target=lambda: answers.append(api.post("/api/v1/tasks/items", {"name": name}, format="json"))
    )
    thread.start()
    thread.join(DEADLINE)
    assert answers, f"no answer in {DEADLINE} s: the request hangs on the task queue"
    return answers[0]


def assert_queue_unavailable(response) -> None:
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "service_unavailable"
    assert body["detail"] == "The task queue 'default' is unavailable; try again later."


def test_a_paused_redis_answers_503_and_enqueues_work_once_it_resumes(queue_redis, api):
    os.kill(queue_redis.process.pid, signal.SIGSTOP)
    try:
        response = enqueue(api, "while-paused")
    finally:
        os.kill(queue_redis.process.pid, signal.SIGCONT)
    assert_queue_unavailable(response)

    assert enqueue(api, "after-the-pause").status_code == 202


def test_a_stopped_redis_answers_503_and_enqueues_work_once_it_is_back(queue_redis, api):
    queue_redis.stop()
    assert_queue_unavailable(enqueue(api, "while-stopped"))

    queue_redis.start()
    assert enqueue(api, "after-the-restart").status_code == 202
