"""Timing of each test phase, and Colibris's isolation when ``BENCH_ISOLATION=per-test``.

Writes ``BENCH_RESULTS`` (JSON): each test's setup/call/teardown seconds, the wall-clock time
the first test's call started and the CPU time spent until then (how long a run takes to start).
"""

import json
import os
import time

import pytest

phases: dict[str, dict[str, float]] = {}
first_call_started: list[float] = []
first_call_cpu: list[float] = []  # CPU seconds of this process until then (less sensitive to load)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    if not first_call_started:
        first_call_started.append(time.time())
        first_call_cpu.append(time.process_time())
    return (yield)


def pytest_runtest_logreport(report):
    phases.setdefault(report.nodeid, {})[report.when] = report.duration


def pytest_sessionfinish(session):
    if os.environ.get("BENCH_RESULTS"):
        started = first_call_started[0] if first_call_started else None
        cpu = first_call_cpu[0] if first_call_cpu else None
        results = {"phases": phases, "first_call_started": started, "first_call_cpu": cpu}
        with open(os.environ["BENCH_RESULTS"], "w") as file:
            json.dump(results, file)


if os.environ.get("BENCH_ISOLATION") == "per-test":

    @pytest.fixture
    def django_db_setup(django_test_environment, django_db_blocker):
        """Colibris's isolation: a test database created and migrated for each test, dropped after it."""
        from django.test.utils import setup_databases, teardown_databases

        with django_db_blocker.unblock():
            databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        yield
        with django_db_blocker.unblock():
            teardown_databases(databases, verbosity=0)
