"""What only real RQ worker processes show: timeouts, killed workers, warm shutdown, periodic tasks
with several schedulers, request ids in the worker's log, plain django-rq jobs next to tasks."""

import os
import signal
import time
from datetime import UTC, datetime, timedelta

import pytest
from rq.job import Job
from rq.registry import FailedJobRegistry, FinishedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

from kit.cache.namespaces import in_namespace
from kit.conf.tasks import task_settings
from kit.tasks import TaskTimeout, execute
from kit.tasks.queues import get_queue, rq_queue_name
from tests.example.models import Item
from tests.example.tasks import add, hang, nap, partner_down
from tests.tasks.conftest import stop, wait_for
from tests.tasks.test_tasks import final_status, status_of

pytestmark = [pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def rq(transactional_db, shared_worker, use_rq):
    return shared_worker


@pytest.fixture
def isolated_queue(settings, redis_url):
    """Add the queue ``isolated``, served only by the workers a test starts for it."""
    configured = task_settings("rq", redis_url=redis_url, queues=["default", "isolated"])
    settings.TASKS = configured["TASKS"]
    settings.RQ_QUEUES = configured["RQ_QUEUES"]
    return {"TASK_QUEUES": "default,isolated"}


def test_execute_times_out_and_stops_the_job(rq, staff):
    started = time.monotonic()
    with pytest.raises(TaskTimeout) as raised:
        execute(nap, 30, timeout=1)
    assert time.monotonic() - started < 3

    status = final_status(staff, raised.value.task_id)
    assert status["status"] == "FAILED"
    assert status["error"]["code"] == "task_canceled"


def test_the_request_id_travels_to_the_worker_log(rq, api):
    response = api.post(
        "/api/v1/tasks/items", {"name": "with-a-request-id"}, format="json", HTTP_X_REQUEST_ID="req-7f3a9c"
    )
    task_id = response.json()["data"]["task_id"]

    final_status(api, task_id)

    lines = [line for line in rq.log.splitlines() if task_id in line or "with-a-request-id" in line]
    assert any("request_id=req-7f3a9c" in line for line in lines), rq.log[-3000:]


def test_plain_django_rq_jobs_run_next_to_tasks(rq, staff):
    job = get_queue("default").enqueue("tests.example.tasks.add.func", 1, 2)
    task = add.enqueue(3, 4)

    assert wait_for(lambda: job.get_status(refresh=True) == "finished", 10)
    assert job.return_value() == 3
    assert final_status(staff, task.id)["result"] == 7
    assert staff.get(f"/api/tasks/{job.id}").status_code == 404  # not a task


def test_a_killed_work_horse_leaves_the_task_failed_as_abandoned(rq, staff, tmp_path):
    pid_file = tmp_path / "pid"
    result = hang.enqueue(str(pid_file))
    pid = wait_for(lambda: pid_file.exists() and pid_file.read_text(), 10)
    assert pid

    os.kill(int(pid), signal.SIGKILL)

    status = final_status(staff, result.id)
    assert status["status"] == "FAILED"
    assert status["error"]["code"] == "task_abandoned"
    assert "terminated unexpectedly" in status["error"]["detail"]


def test_a_task_of_a_killed_worker_is_running_then_abandoned(
    transactional_db, start_worker, isolated_queue, redis_url, rq_redis, staff, tmp_path
):
    worker = start_worker("isolated", env=isolated_queue)
    pid_file = tmp_path / "pid"
    result = hang.using(queue_name="isolated").enqueue(str(pid_file))
    horse = wait_for(lambda: pid_file.exists() and pid_file.read_text(), 10)
    assert horse

    worker.kill()  # SIGKILL to the worker, and to its work horse (in a process group of its own):
    os.kill(int(horse), signal.SIGKILL)  # nobody is left to record anything

    assert status_of(staff, result.id)["status"] == "RUNNING"  # visible, not lost
    # Its heartbeat expires (about a minute later): make that happen now.
    registry = StartedJobRegistry(rq_queue_name("isolated"), connection=rq_redis)
    for entry in rq_redis.zrange(registry.key, 0, -1):
        rq_redis.zadd(registry.key, {entry: time.time() - 1})
    status = status_of(staff, result.id)
    assert status["status"] == "FAILED"
    assert status["error"]["code"] == "task_abandoned"
    assert "AbandonedJobError" in status["error"]["detail"]


def test_sigterm_lets_the_current_task_finish(
    transactional_db, start_worker, isolated_queue, rq_redis, staff
):
    worker = start_worker("isolated", env=isolated_queue)
    result = nap.using(queue_name="isolated").enqueue(1)
    assert wait_for(lambda: status_of(staff, result.id)["status"] == "RUNNING", 10)

    worker.process.send_signal(signal.SIGTERM)

    assert worker.process.wait(15) == 0
    assert status_of(staff, result.id)["status"] == "SUCCESSFUL"


def test_a_periodic_task_runs_once_per_due_time_with_two_schedulers(rq, start_worker, rq_redis):
    since = datetime.now(UTC)
    workers = start_worker("--with-scheduler", env={"KIT_TEST_PERIODIC_EVERY": "1"}, count=2)
    ticked = wait_for(lambda: Item.objects.filter(name__startswith="tick-").count() >= 3, 20)
    stop(*workers)
    assert ticked, "the periodic task did not run three times"
    queue = get_queue("default")  # the shared worker runs what is left
    assert wait_for(lambda: queue.count == 0 and queue.started_job_registry.count == 0, 10)

    jobs = [
        Job.fetch(job_id, connection=rq_redis)
        for registry in (FinishedJobRegistry, FailedJobRegistry)
        for job_id in registry(rq_queue_name("default"), connection=rq_redis).get_job_ids()
    ]
    ticks = [job for job in jobs if job.description == "tests.example.tasks.tick" and job.created_at > since]
    due_times = [job.meta["kit"]["scheduled_for"] for job in ticks]
    assert len(set(due_times)) == len(due_times)  # one run per due time, across both schedulers
    assert all(job.get_status() == "finished" for job in ticks)
    assert Item.objects.filter(name__startswith="tick-").count() == len(ticks)
    # The due-time claims live in the run's namespace, like its queues: never shared with a service.
    assert len(rq_redis.keys(in_namespace("kit:periodic:*"))) >= len(ticks)
    assert not rq_redis.keys("kit:periodic:*")


def test_a_task_waiting_for_its_retry_shows_its_last_error_and_next_attempt(rq, staff, rq_redis):
    before = datetime.now(UTC)
    result = partner_down.enqueue()
    try:
        status = wait_for(lambda: (s := status_of(staff, result.id))["next_attempt_at"] and s, 15)
        assert status, status_of(staff, result.id)
        after = datetime.now(UTC)

        assert status["status"] == "READY"
        assert status["attempts"] == 1
        assert status["error"] is None
        assert status["last_error"]["code"] == "task_failed"
        assert status["last_error"]["detail"] == "ConnectionError: partner API unreachable"
        next_attempt = datetime.fromisoformat(status["next_attempt_at"])
        delay = timedelta(seconds=3600)  # the task's backoff
        assert before + delay - timedelta(seconds=1) <= next_attempt <= after + delay
    finally:
        ScheduledJobRegistry(rq_queue_name("default"), connection=rq_redis).remove(result.id, delete_job=True)
