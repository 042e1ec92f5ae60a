"""Tasks of the example app, run by the task tests in-process and on real RQ workers."""

import logging
import os
import time
from pathlib import Path

from kit.tasks import Unrecoverable, current_task, periodic, retry, set_progress, task
from tests.example.models import Item

logger = logging.getLogger(__name__)


class PaymentDeclined(Exception):
    """An application exception: the caller of execute() gets it back with its message."""


@task
def add(a, b):
    return a + b


@task
def decline(reason):
    raise PaymentDeclined(reason)


@task
def nap(seconds):
    time.sleep(seconds)
    return seconds


@task
def create_item(name):
    logger.info("Creating item %s", name)
    return Item.objects.create(name=name).pk


@retry(max_attempts=3, backoff=1)
@task(takes_context=True)
def flaky(context, succeed_on):
    """Fails with ConnectionError until attempt ``succeed_on``."""
    if context.attempt < succeed_on:
        raise ConnectionError(f"attempt {context.attempt} failed")
    return context.attempt


@retry(max_attempts=2, backoff=3600)
@task
def partner_down():
    """Fails, then waits an hour for its retry."""
    raise ConnectionError("partner API unreachable")


@retry(max_attempts=3, backoff=0)
@task
def reject():
    raise Unrecoverable("the input can never be processed")


@task
def report_progress():
    set_progress(1, 4, message="started")
    set_progress(3, 4, message="almost")
    return "done"


@task
def hang(pid_file):
    """Writes its process id to ``pid_file``, then sleeps (for a test to kill the worker)."""
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(60)


def tick():
    """Records its due time (unique item name: a second run for the same due time would fail)."""
    run = current_task()
    Item.objects.create(name=f"tick-{run.scheduled_for.isoformat()}")


if os.environ.get("KIT_TEST_PERIODIC_EVERY"):  # only in the worker of the periodic task test
    tick = periodic(every=float(os.environ["KIT_TEST_PERIODIC_EVERY"]))(task(tick))
