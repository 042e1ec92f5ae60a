"""A real PostgreSQL outage under a running ``manage.py serve``: stopped, restarted, paused, resumed.

While the database is down every request answers a 503 ``service_unavailable`` problem (never a 500
or HTML), the log has one line a request and one traceback an outage, the server recovers by itself
when the database returns, and every create answered 201 is in the database.
"""

import http.client
import json
import re

import pytest

from kit.conf.fields import DATABASE_CONNECT_TIMEOUT
from tests.ops.processes import (
    free_port,
    manage,
    private_postgres,
    process_env,
    start_manage,
    stop,
    wait_until_serving,
)
from tests.passes import sqlite_run_only

pytestmark = [pytest.mark.slow, sqlite_run_only]

PASSWORD = "outage-test-password-1"
WORKER_TIMEOUT = 10
"""``manage.py serve --timeout``: gunicorn restarts a worker stuck this long (a query on a paused server)."""
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module", autouse=True)
def once_per_suite():
    """The server uses its own PostgreSQL: run it in the SQLite pass of the suite only."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("process tests run in the SQLite pass")


@pytest.fixture
def postgres():
    cluster = private_postgres()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


class Client:
    """HTTP against the server; ``None`` when the server closes the connection without an answer."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.token = ""

    def request(self, method, path, body=None, headers=None, timeout=30.0):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Accept": "application/json", **(headers or {})}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            connection.request(method, path, json.dumps(body) if body is not None else None, headers)
            response = connection.getresponse()
            raw = response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError):
            return None
        finally:
            connection.close()
        content_type = response.getheader("Content-Type", "")
        return response.status, content_type, json.loads(raw) if raw and "json" in content_type else raw

    def create(self, name):
        return self.request("POST", "/api/v1/items", {"name": name})

    def outage_requests(self, timeout=30.0):
        """A list through a view, a request whose middleware reads the database, a create."""
        return [
            self.request("GET", "/api/v1/items", timeout=timeout),
            self.request(
                "GET", "/api/test/envelope", headers={"X-Test-Middleware": "database"}, timeout=timeout
            ),
            self.request("POST", "/api/v1/items", {"name": "during-outage"}, timeout=timeout),
        ]


def assert_unavailable(answer):
    assert answer is not None
    status, content_type, body = answer
    assert (status, content_type) == (503, PROBLEM), answer
    assert body["code"] == "service_unavailable"


def log_records(text):
    """The log's records: each starts with a timestamp line; tracebacks belong to the record before."""
    return re.split(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} )", text)


def test_a_postgresql_outage_answers_503_and_the_service_recovers_by_itself(postgres, tmp_path):
    import psycopg

    with psycopg.connect(f"{postgres.url}/postgres", autocommit=True) as admin:
        admin.execute("CREATE DATABASE kit")
    env = process_env(DATABASE_URL=f"{postgres.url}/kit", DJANGO_SUPERUSER_PASSWORD=PASSWORD)
    result = manage("migrate", "--no-input", env=env)
    assert result.returncode == 0, result.stderr
    result = manage(
        "createsuperuser", "--no-input", "--username", "admin", "--email", "a@example.com", env=env
    )
    assert result.returncode == 0, result.stderr

    port = free_port()
    log = tmp_path / "serve.log"
    bind = f"127.0.0.1:{port}"
    server = start_manage(
        "serve", "--bind", bind, "--workers", "1", "--timeout", str(WORKER_TIMEOUT), env=env, log=log
    )
    client = Client(port)
    acknowledged = []
    try:
        wait_until_serving(f"http://{bind}/health/live", server, log)
        status, _, body = client.request(
            "POST", "/api/auth/token", {"username": "admin", "password": PASSWORD}
        )
        assert status == 200, body
        client.token = body["data"]["access"]
        assert client.create("before")[0] == 201
        acknowledged.append("before")

        # Stopped: refused connections, every request a 503 problem, one traceback.
        postgres.stop()
        start = len(log.read_text())
        answers = client.outage_requests() + client.outage_requests()
        for answer in answers:
            assert_unavailable(answer)
        records = log_records(log.read_text()[start:])
        unavailable = [record for record in records if "kit.problems: Database unavailable" in record]
        assert len(unavailable) == len(answers)
        with_traceback = [record for record in records if "Traceback (most recent call last)" in record]
        assert with_traceback == unavailable[:1]

        # Restarted: the same server answers again.
        postgres.start()
        assert client.request("GET", "/api/v1/items")[0] == 200
        assert client.create("after-restart")[0] == 201
        acknowledged.append("after-restart")

        # Paused: the worker's open connection waits for an answer that never comes until gunicorn's
        # worker timeout restarts the worker; new connections give up after DATABASE_CONNECT_TIMEOUT.
        postgres.pause()
        bound = WORKER_TIMEOUT + DATABASE_CONNECT_TIMEOUT + 10
        first, *others = client.outage_requests(timeout=bound)
        if first is not None:
            assert_unavailable(first)
        for answer in others:
            assert_unavailable(answer)

        postgres.resume()
        assert client.request("GET", "/api/v1/items")[0] == 200
        assert client.create("after-pause")[0] == 201
        acknowledged.append("after-pause")
    finally:
        stop(server)
    output = log.read_text()
    assert " 500 " not in output and "django.request: Internal Server Error" not in output
    with psycopg.connect(f"{postgres.url}/kit") as database:
        names = {name for (name,) in database.execute("SELECT name FROM example_item")}
    assert set(acknowledged) <= names
