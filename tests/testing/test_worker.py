"""``rq_worker``: a real ``runworker`` process runs the tasks a test enqueues, on the test database."""

import os

import pytest
import redis
from django.db import connection
from rq import Queue

from kit.tasks import execute
from kit.testing import workers
from kit.testing.tasks import tasks_framework
from tests.example.models import Category
from tests.tasks.conftest import wait_for
from tests.testing.tasks import record_category

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.urls("tests.testing.urls")]


@pytest.fixture(scope="session")
def kit_worker_redis_url(redis_url):
    """The suite's test Redis (a project sets TEST_REDIS_URL instead), emptied first."""
    redis.Redis.from_url(redis_url).flushdb()
    return redis_url


@pytest.fixture(scope="module")
def kit_worker_process(
    django_db_setup, kit_configured_tasks, kit_worker_redis_url, tmp_path_factory, pytestconfig
):
    """This module's own worker, stopped after it: the task tests' workers use the same queues."""
    with workers.running_worker(
        redis_url=kit_worker_redis_url,
        tasks=kit_configured_tasks,
        log_path=tmp_path_factory.mktemp("rq_worker") / "worker.log",
        cwd=pytestconfig.rootpath,
    ) as worker:
        yield worker


def test_a_task_enqueued_by_a_request_runs_on_the_worker(api_client, rq_worker):
    response = api_client.get("/enqueue", {"name": "books"})
    assert response.data == {"status": "READY"}  # queued in Redis, not run in this process
    assert type(tasks_framework.task_backends["default"]).__name__ == "RQBackend"

    assert execute(record_category, "games", timeout=30) > 0  # a round trip through the worker
    assert set(Category.objects.values_list("name", flat=True)) == {"books", "games"}
    assert execute(process_id, timeout=30) != os.getpid()
    assert rq_worker.process.poll() is None, rq_worker.log
    assert f"started with PID {rq_worker.process.pid}" in rq_worker.log


def test_the_worker_sees_committed_rows_of_each_test(rq_worker):
    Category.objects.create(name="films")
    assert execute(count_categories, timeout=30) == 1


def test_in_process_again_without_the_fixture(db):
    result = record_category.enqueue("music")
    assert result.status == tasks_framework.TaskResultStatus.SUCCESSFUL


def test_a_service_worker_on_the_same_redis_never_takes_the_runs_tasks(
    rq_worker, kit_worker_redis_url, tmp_path, pytestconfig
):
    service = workers.Worker(  # a running service's worker: the same Redis, the plain queue names
        redis_url=kit_worker_redis_url,
        database_url=workers.database_url(connection),
        queues=None,
        log_path=tmp_path / "service.log",
        cwd=pytestconfig.rootpath,
        arguments=(),
        environment={"CACHE_NAMESPACE": ""},
    )
    try:
        service.wait_until_listening()
        ran_on = {execute(worker_pid, timeout=30) for _ in range(6)}
        assert ran_on == {rq_worker.process.pid}, service.log
        job = Queue("default", connection=redis.Redis.from_url(kit_worker_redis_url)).enqueue(worker_pid)
        try:  # the service's own jobs go to the service's worker, not to the run's
            assert wait_for(lambda: job.get_status(refresh=True) == "finished", 30), service.log
            assert job.return_value() == service.process.pid
        finally:
            job.delete()
    finally:
        service.stop()


def worker_pid() -> int:
    """The worker that runs this job: the parent of RQ's work horse."""
    return os.getppid()


def count_categories() -> int:
    return Category.objects.count()


def process_id() -> int:
    return os.getpid()


def test_an_in_memory_sqlite_database_is_explained():
    class Connection:
        vendor = "sqlite"
        settings_dict = {"NAME": ":memory:"}

        class creation:
            @staticmethod
            def is_in_memory_db(name):
                return True

    with pytest.raises(workers.WorkerError, match=r"in-memory SQLite test database.*TEST_DATABASE_URL"):
        workers.database_url(Connection())


def test_database_urls_of_servers(settings):
    class Connection:
        vendor = "postgresql"
        settings_dict = {"USER": "app", "PASSWORD": "p@ss", "HOST": "db", "PORT": 5432, "NAME": "test_x"}

    assert workers.database_url(Connection()) == "postgres://app:p%40ss@db:5432/test_x"


def test_queue_names_keep_every_configured_queue():
    tasks = {"default": {"QUEUES": ["mail", "default"]}, "reports": {"QUEUES": ["slow"]}}
    assert workers.queue_names(tasks) == ["mail", "default", "slow"]
