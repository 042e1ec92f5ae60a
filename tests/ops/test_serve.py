"""``manage.py serve`` (gunicorn), ``manage.py health`` and the startup check, as real processes."""

import http.client
import json
import socket
import threading
import time
from pathlib import Path

import pytest
from gunicorn.ctl.client import ControlClient
from prometheus_client.parser import text_string_to_metric_families

from tests.ops.processes import (
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

pytestmark = [pytest.mark.slow, sqlite_run_only]

TOKEN = "metrics-token-for-the-tests-0123456789"


@pytest.fixture(scope="module", autouse=True)
def once_per_suite():
    """These processes use their own SQLite files: run them in the SQLite pass of the suite only."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("process tests run in the SQLite pass")


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """A migrated SQLite database file for the servers of this module."""
    path = tmp_path_factory.mktemp("serve") / "db.sqlite3"
    url = f"sqlite:///{path}"
    result = manage("migrate", "--no-input", env=process_env(DATABASE_URL=url))
    assert result.returncode == 0, result.stderr
    return url


def serve(tmp_path, env, *args):
    tmp_path.mkdir(exist_ok=True)
    port = free_port()
    log = tmp_path / "serve.log"
    process = start_manage("serve", "--bind", f"127.0.0.1:{port}", *args, env=env, log=log)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(f"{base}/health/live", process, log)
    return process, base, log


def test_serve_answers_and_stops_gracefully_on_sigterm(tmp_path, database_url):
    process, base, log = serve(tmp_path, process_env(DATABASE_URL=database_url), "--workers", "2")
    try:
        assert http_get(f"{base}/health/live") == (200, b'{"status": "ok"}')
        status, body = http_get(f"{base}/health/ready")
        assert status == 200, body
        in_flight = {}

        def slow_request():
            in_flight["result"] = http_get(f"{base}/ops-test/slow?seconds=2")

        request = threading.Thread(target=slow_request)
        request.start()
        time.sleep(0.5)
        process.terminate()  # SIGTERM while the slow request is being served
        request.join(10)
        assert in_flight["result"] == (200, b'{"slept": 2.0}')
        assert process.wait(30) == 0
    finally:
        stop(process)
    output = log.read_text()
    assert "[INFO][-] gunicorn.error: Booting worker with pid" in output
    assert "Handling signal: term" in output


def test_gthread_workers(tmp_path, database_url):
    env = process_env(DATABASE_URL=database_url, WEB_CONCURRENCY="1", WEB_THREADS="4")
    process, base, log = serve(tmp_path, env)
    try:
        results = []
        threads = [
            threading.Thread(target=lambda: results.append(http_get(f"{base}/ops-test/slow?seconds=1")))
            for _ in range(4)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert [status for status, _ in results] == [200] * 4
        assert time.perf_counter() - started < 2.5  # served concurrently by one process
    finally:
        assert stop(process) == 0
    assert "Using worker: kit.serving.ThreadWorker" in log.read_text()


def status_of(base: str, path: str, host: str) -> int:
    """The status of ``GET path`` sent with ``Host: host``, redirects not followed."""
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


def test_probes_by_pod_ip_over_http_with_a_production_host_and_https_redirect(tmp_path, database_url):
    env = process_env(DATABASE_URL=database_url, ALLOWED_HOSTS="api.example.com", SECURE_SSL_REDIRECT="true")
    process, base, _ = serve(tmp_path, env, "--workers", "1")
    try:
        assert status_of(base, "/health/live", "10.0.0.7:8888") == 200
        assert status_of(base, "/health/ready", "10.0.0.7:8888") == 200
        assert status_of(base, "/health", "10.0.0.7") == 200
        assert status_of(base, "/status", "10.0.0.7:8888") == 400  # not a probe: host validated
        assert status_of(base, "/status", "api.example.com") == 301  # and redirected to HTTPS
    finally:
        assert stop(process) == 0


def request_count(base: str, view: str) -> float:
    status, body = http_get(f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 200, body
    total = 0.0
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            if sample.name == "http_requests_total" and sample.labels["view"] == view:
                total += sample.value
    return total


def test_metrics_count_the_requests_of_every_worker(tmp_path, database_url):
    env = process_env(DATABASE_URL=database_url, METRICS_ENABLED="true", METRICS_TOKEN=TOKEN)
    process, base, _ = serve(tmp_path, env, "--workers", "3")
    try:
        before = request_count(base, "health-live")
        for _ in range(30):
            assert http_get(f"{base}/health/live")[0] == 200
        assert request_count(base, "health-live") == before + 30
        status, body = http_get(f"{base}/metrics")
        assert status == 401
        assert json.loads(body)["code"] == "unauthenticated"
    finally:
        assert stop(process) == 0


def test_health_command_exit_codes(tmp_path, database_url):
    healthy = manage("health", env=process_env(DATABASE_URL=database_url))
    assert healthy.returncode == 0, healthy.stderr
    assert "database" in healthy.stdout
    empty = process_env(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    unmigrated = manage("health", "--json", env=empty)
    assert unmigrated.returncode == 1
    body = json.loads(unmigrated.stdout)
    assert body["status"] == "failing"
    assert body["checks"]["migrations"]["status"] == "failing"
    assert body["checks"]["database"]["status"] == "ok"
    assert "Unhealthy: migrations" in unmigrated.stderr


def test_the_startup_check_stops_an_unhealthy_server_but_not_migrate(tmp_path):
    env = process_env(DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.db'}", HEALTH_CHECK_ON_STARTUP="true")
    refused = manage("serve", "--bind", f"127.0.0.1:{free_port()}", env=env, timeout=60)
    assert refused.returncode != 0
    assert "Startup health check migrations failed" in refused.stdout
    assert "unhealthy at startup: migrations" in refused.stderr
    migrated = manage("migrate", "--no-input", env=env)
    assert migrated.returncode == 0, migrated.stderr
    process, base, log = serve(tmp_path, env)
    try:
        assert http_get(f"{base}/health/ready")[0] == 200
    finally:
        assert stop(process) == 0
    assert "Startup health check passed" in log.read_text()


def listeners(control_socket: Path) -> list[str]:
    """The addresses of the server answering on ``control_socket`` (what ``gunicornc`` shows)."""
    with ControlClient(str(control_socket), timeout=10) as client:
        return [listener["address"] for listener in client.send_command("show listeners")["listeners"]]


def test_each_server_has_a_control_socket_of_its_own(tmp_path, database_url):
    """gunicorn's default ~/.gunicorn/gunicorn.ctl was shared: stopping one server deleted the other's."""
    home = tmp_path / "home"
    env = process_env(DATABASE_URL=database_url, HOME=str(home), XDG_RUNTIME_DIR=None, SERVICE_NAME="orders")
    first, first_base, _ = serve(tmp_path / "first", env, "--workers", "1")
    second, second_base, _ = serve(tmp_path / "second", env, "--workers", "1")
    first_socket, second_socket = (
        home / ".gunicorn" / f"orders-127.0.0.1_{base.rsplit(':', 1)[1]}.ctl"
        for base in (first_base, second_base)
    )
    try:
        assert wait_for(lambda: first_socket.exists() and second_socket.exists(), 30)
        assert sorted((home / ".gunicorn").iterdir()) == sorted([first_socket, second_socket])
        assert listeners(first_socket) == [first_base]
        assert listeners(second_socket) == [second_base]
        assert stop(first) == 0
        assert not first_socket.exists()
        assert listeners(second_socket) == [second_base]
    finally:
        stop(first)
        assert stop(second) == 0


def send_request(address: tuple[str, int], path: str) -> socket.socket:
    """A connection with ``GET path`` sent on it, its answer not read yet."""
    connection = socket.create_connection(address, timeout=30)
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
    return connection


def status_line(connection: socket.socket) -> str:
    """The status line answered on ``connection`` (or the error that ended it)."""
    try:
        with connection, connection.makefile("rb") as answer:
            return answer.readline().decode().strip() or "closed without an answer"
    except OSError as error:
        return f"{type(error).__name__}: {error}"


@pytest.mark.parametrize("worker_class", ["sync", "gthread"])
def test_sigterm_answers_the_connections_already_queued(tmp_path, database_url, worker_class):
    """Connections waiting in the listen queue when SIGTERM comes are served, not reset."""
    env = process_env(DATABASE_URL=database_url)
    process, base, log = serve(
        tmp_path, env, "--workers", "1", "--threads", "1", "--worker-class", worker_class
    )
    address = ("127.0.0.1", int(base.rsplit(":", 1)[1]))
    try:
        first = send_request(address, "/ops-test/slow?seconds=1")
        time.sleep(0.3)  # the only worker is busy with it: the next ones wait in the listen queue
        queued = [send_request(address, "/ops-test/slow?seconds=0.2") for _ in range(5)]
        process.terminate()
        answers = [status_line(connection) for connection in [first, *queued]]
        assert answers == ["HTTP/1.1 200 OK"] * 6, log.read_text()
        assert process.wait(30) == 0
    finally:
        stop(process)
