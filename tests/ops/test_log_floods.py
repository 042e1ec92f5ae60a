"""Requests a client repeats at will must not write a traceback each: through a real ``manage.py
serve`` (gunicorn, DEBUG off) whose database is unreachable, readiness probes log each failing check
on one line (its traceback once per failure streak), and disallowed ``Host`` headers one line each."""

import pytest

from tests.ops.processes import free_port, http_get, process_env, start_manage, stop, wait_until_serving

pytestmark = pytest.mark.slow

REPEATS = 4


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("process tests run in the SQLite pass")
    folder = tmp_path_factory.mktemp("floods")
    closed = free_port()  # nothing listens there: the database is down from the start
    env = process_env(DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed}/down", DEBUG="false")
    port = free_port()
    log = folder / "serve.log"
    process = start_manage("serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", env=env, log=log)
    wait_until_serving(f"http://127.0.0.1:{port}/health/live", process, log)
    yield port, log
    stop(process)


def records(log, marker: str) -> list[list[str]]:
    """The log records whose first line contains ``marker``, each as its lines."""
    found: list[list[str]] = []
    current: list[str] | None = None
    for line in log.read_text().splitlines():
        if line[:4].isdigit() and line[4:5] == "-":  # a record's first line starts with its date
            current = [line] if marker in line else None
            if current is not None:
                found.append(current)
        elif current is not None:
            current.append(line)
    return found


def test_readiness_probes_during_an_outage_log_the_traceback_once(server):
    port, log = server
    for _ in range(REPEATS):
        status, body = http_get(f"http://127.0.0.1:{port}/health/ready")
        assert status == 503, body
    failures = records(log, "Health check database failed")
    assert len(failures) == REPEATS
    with_traceback = [any(line.startswith("Traceback") for line in lines) for lines in failures]
    assert with_traceback == [True] + [False] * (REPEATS - 1)


def test_disallowed_hosts_log_one_line_each(server):
    port, log = server
    for _ in range(REPEATS):
        status, body = http_get(f"http://127.0.0.1:{port}/api/test/validation", {"Host": "evil.example.com"})
        assert status == 400, body
    reports = records(log, "django.security.DisallowedHost: Invalid HTTP_HOST header: 'evil.example.com'")
    assert [len(lines) for lines in reports] == [1] * REPEATS, log.read_text()
