"""Two services for real: service A calls service B (two members) through the upstream client.

Real ``manage.py serve`` processes of the test project, configured by the environment only:
B1 and B2 answer ``/services-test/echo``; A has ``SERVICE_PEER_URL=B1,B2`` and answers
``/services-test/call`` by calling its peer. It shows the request id in both services' logs,
round-robin over the members, failover when a member is killed, the member's breaker opening,
then probing and closing once the member is back, and a 503 problem when no member is left.
"""

import json
import os
import signal
import subprocess

import pytest

from tests.ops.processes import (
    free_port,
    http_get,
    process_env,
    socket_accepts,
    start_manage,
    stop,
    wait_until_serving,
)
from tests.tasks.conftest import wait_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def once_per_suite():
    """These processes use no database: run them in the SQLite pass of the suite only."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("process tests run in the SQLite pass")


class Service:
    def __init__(self, folder, name, port, **env):
        self.name, self.port = name, port
        self.base = f"http://127.0.0.1:{port}"
        self.log = folder / f"{name}.log"
        database = f"sqlite:///{folder / 'unused.sqlite3'}"
        self.env = process_env(DATABASE_URL=database, SERVICE_NAME=name, **env)
        self.process = None

    def start(self):
        self.process = start_manage(
            "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "1", env=self.env, log=self.log
        )
        wait_until_serving(f"{self.base}/health/live", self.process, self.log)

    def kill(self):
        """SIGKILL the gunicorn master and its worker at once: the member vanishes mid-service."""
        workers = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        for pid in [self.process.pid, *map(int, workers.stdout.split())]:
            os.kill(pid, signal.SIGKILL)
        self.process.wait(10)
        assert wait_for(lambda: not socket_accepts(self.port), timeout=10)

    def logged(self, text):
        return text in self.log.read_text()


def call(service, request_id):
    status, body = http_get(f"{service.base}/services-test/call", {"X-Request-ID": request_id})
    return status, json.loads(body)


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two-services")
    b1 = Service(folder, "b1", free_port())
    b2 = Service(folder, "b2", free_port())
    a = Service(
        folder,
        "a",
        free_port(),
        SERVICE_PEER_URL=f"{b1.base},{b2.base}",
        SERVICE_PEER_RETRIES="1",
        SERVICE_PEER_BREAKER_THRESHOLD="2",
        SERVICE_PEER_BREAKER_RESET="1",
        LOG_LEVEL="debug",
    )
    for service in (b1, b2, a):
        service.start()
    yield a, b1, b2
    for service in (a, b1, b2):
        stop(service.process)


def test_one_service_calls_the_other(services):
    a, b1, b2 = services
    status, body = call(a, "two-services-1")
    assert status == 200, body
    assert body["data"]["upstream"]["request_id"] == "two-services-1"
    assert body["data"]["upstream_meta"]["request_id"] == "two-services-1"
    assert a.logged("[two-services-1] kit.services: peer GET http://127.0.0.1:")
    assert wait_for(lambda: b1.logged("[two-services-1]") or b2.logged("[two-services-1]"), timeout=5)
    ports = {call(a, f"round-robin-{index}")[1]["data"]["upstream"]["port"] for index in range(4)}
    assert ports == {str(b1.port), str(b2.port)}


def test_failover_breaker_and_recovery_when_a_member_dies_and_comes_back(services):
    a, b1, b2 = services
    b2.kill()
    for index in range(4):  # B2's turns fail over to B1 (nothing was sent: safe for any method)
        status, body = call(a, f"failover-{index}")
        assert status == 200, body
        assert body["data"]["upstream"]["port"] == str(b1.port)
    assert a.logged(f"Circuit breaker of upstream peer {b2.base}/ is open")
    b2.start()
    back = wait_for(
        lambda: call(a, "recovered")[1]["data"]["upstream"]["port"] == str(b2.port), timeout=15, interval=0.2
    )
    assert back, "B2 never got calls again"
    assert a.logged(f"Circuit breaker of upstream peer {b2.base}/ is half-open")
    assert a.logged(f"Circuit breaker of upstream peer {b2.base}/ is closed")


def test_no_member_left_is_a_503_problem_naming_the_upstream(services):
    a, b1, b2 = services
    b1.kill()
    b2.kill()
    status, body = call(a, "all-down")
    assert status == 503
    assert body["code"] == "service_unavailable"
    assert body["upstream"] == "peer"
    assert body["request_id"] == "all-down"
    assert a.logged("[all-down] kit.services: peer GET")
