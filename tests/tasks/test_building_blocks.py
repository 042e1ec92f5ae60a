"""The pieces of the tasks API on their own: retry policies, schedules, the periodic scheduler's
claims, rebuilt exceptions, settings, the async API."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from rq.timeouts import JobTimeoutException

from kit.conf.tasks import task_settings
from kit.tasks import TaskFailed, aexecute, periodic, retry, task
from kit.tasks.periodic import PeriodicScheduler, PeriodicTask
from kit.tasks.records import Failure
from kit.tasks.retries import retry_policy
from tests.example.models import Item
from tests.example.tasks import PaymentDeclined, add, decline, tick


@retry(max_attempts=6, backoff=10, max_delay=60)
@task
def sync_partner():
    pass


def send_report():
    pass


def test_exponential_backoff_doubles_up_to_the_cap():
    policy = retry_policy(sync_partner)
    assert policy.max_retries == 5
    assert policy.delays == (10, 20, 40, 60, 60)


def test_explicit_delays_repeat_the_last_one_and_round_up():
    policy = retry_policy(task(retry(max_attempts=4, backoff=[0.5, 30])(send_report)))

    assert policy.delays == (1, 30, 30)


def test_a_task_without_policy_runs_once():
    assert retry_policy(add).max_attempts == 1


@pytest.mark.parametrize(
    "kwargs", [{"max_attempts": 0}, {"backoff": -1}, {"backoff": []}, {"backoff": [5, -1]}]
)
def test_invalid_retry_policies_are_rejected(kwargs):
    with pytest.raises(ValueError):
        retry(**kwargs)


def test_interval_due_times_are_aligned_on_the_epoch():
    schedule = PeriodicTask(task=add, every=300)
    now = datetime(2026, 5, 4, 10, 7, 31, tzinfo=UTC)

    assert schedule.last_due(now) == datetime(2026, 5, 4, 10, 5, tzinfo=UTC)
    assert schedule.period(now) == 300


def test_cron_due_times_include_the_current_minute(settings):
    settings.TIME_ZONE = "UTC"
    schedule = PeriodicTask(task=add, cron="*/5 * * * *")

    on_time = datetime(2026, 5, 4, 10, 5, tzinfo=UTC)
    assert schedule.last_due(on_time) == on_time
    assert schedule.last_due(on_time + timedelta(minutes=4, seconds=59)) == on_time
    assert schedule.period(on_time) == 300


@pytest.mark.parametrize(
    "kwargs", [{}, {"cron": "* * * * *", "every": 5}, {"cron": "every minute"}, {"every": 0.5}]
)
def test_invalid_schedules_are_rejected(kwargs):
    with pytest.raises(ValueError):
        periodic(**kwargs)


@pytest.mark.parametrize("backend", ["inprocess", "rq"])
def test_each_due_time_is_enqueued_by_one_scheduler_only(backend, transactional_db, request):
    if backend == "rq":
        request.getfixturevalue("use_rq")
        request.getfixturevalue("rq_redis")
    entry = PeriodicTask(task=task(tick), every=60)
    schedulers = [PeriodicScheduler([entry]), PeriodicScheduler([entry])]
    start = schedulers[0]._last[entry.name]

    first_due = start + timedelta(seconds=61)
    enqueued = [scheduler.run_pending(first_due) for scheduler in schedulers]
    again = [scheduler.run_pending(first_due + timedelta(seconds=30)) for scheduler in schedulers]

    assert sorted(len(ids) for ids in enqueued) == [0, 1]
    assert again == [[], []]
    if backend == "inprocess":  # it ran right away, with its due time
        assert Item.objects.get().name == f"tick-{(start + timedelta(seconds=60)).isoformat()}"


def test_a_failure_is_rebuilt_with_its_type_and_message():
    exc = Failure("tests.example.tasks.PaymentDeclined", "no funds", "Traceback...").rebuild()

    assert type(exc) is PaymentDeclined
    assert str(exc) == "no funds"
    assert exc.__notes__ == ["Raised in a task worker:\nTraceback..."]
    assert type(Failure("rq.timeouts.JobTimeoutException", "took too long", "").rebuild()) is (
        JobTimeoutException
    )


@pytest.mark.parametrize(
    "path",
    ["gone.module.Error", "builtins.SystemExit", "builtins.len", "builtins.UnicodeDecodeError"],
)
def test_a_failure_that_cannot_be_rebuilt_is_a_task_failed(path):
    exc = Failure(path, "the message", "").rebuild()

    assert type(exc) is TaskFailed
    assert exc.exception_class_path == path
    assert str(exc) == f"{path}: the message"


def test_task_settings_for_rq():
    configured = task_settings("rq", redis_url="redis://cache:6379/3", queues=["high", "low"])

    assert configured["TASKS"]["default"]["BACKEND"] == "kit.tasks.backends.rq.RQBackend"
    assert configured["TASKS"]["default"]["QUEUES"] == ["high", "low", "default"]
    timeouts = "socket_connect_timeout=1.0&socket_timeout=1.0"
    assert configured["RQ_QUEUES"]["high"] == {"URL": f"redis://cache:6379/3?{timeouts}"}
    own = task_settings("rq", redis_url="redis://cache:6379/3?socket_timeout=5")["RQ_QUEUES"]["default"]
    assert own == {"URL": "redis://cache:6379/3?socket_connect_timeout=1.0&socket_timeout=5"}
    with pytest.raises(ValueError, match="TASKS_BACKEND"):
        task_settings("celery")


@pytest.mark.parametrize("backend", ["inprocess", "rq"])
def test_aexecute_awaits_the_result(backend, transactional_db, request):
    if backend == "rq":
        request.getfixturevalue("shared_worker")
        request.getfixturevalue("use_rq")

    assert asyncio.run(aexecute(add, 40, 2, timeout=10)) == 42
    with pytest.raises(PaymentDeclined, match="no funds"):
        asyncio.run(aexecute(decline, "no funds", timeout=10))
