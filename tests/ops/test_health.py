"""The probe endpoints against the real test database, in-process."""

import importlib
import os
import threading
import time
from dataclasses import dataclass
from typing import ClassVar

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.urls import clear_url_caches

import kit.urls
from kit import checks
from kit.conf.tasks import task_settings
from kit.health import HealthCheck, HealthException, get_checks, run_checks
from kit.request_id import get_request_id
from tests.ops.processes import child_database_url, free_port, process_env, start_manage, stop
from tests.tasks.conftest import wait_for

pytestmark = pytest.mark.django_db


def test_health_is_the_colibris_string(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == "healthy"
    assert response["Cache-Control"] == "no-store"


def test_live_answers_without_io(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_reports_each_check_with_its_duration(client):
    response = client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {"database", "cache", "migrations"} <= set(body["checks"])
    for result in body["checks"].values():
        assert result["status"] == "ok"
        assert isinstance(result["duration_ms"], float)


def test_probes_answer_any_host_header(client):
    """Orchestrators probe by IP address, which is not in ALLOWED_HOSTS."""
    assert client.get("/health/live", HTTP_HOST="10.1.2.3:8888").status_code == 200
    assert client.get("/health/ready", HTTP_HOST="10.1.2.3:8888").status_code == 200
    assert client.get("/status", HTTP_HOST="10.1.2.3:8888").status_code == 400


PROBE = "kit.health.middleware.HealthProbeMiddleware"


def test_probes_by_ip_over_plain_http_pass_the_https_redirect(client):
    """Kubernetes probes the pod IP over HTTP; SECURE_SSL_REDIRECT must not turn that into 400/301."""
    with override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["api.example.com"]):
        assert client.get("/health/live", HTTP_HOST="10.0.0.7").status_code == 200
        assert client.get("/health/ready", HTTP_HOST="10.0.0.7:8888").status_code == 200
        assert client.get("/status", HTTP_HOST="10.0.0.7").status_code == 400
        redirected = client.get("/status", HTTP_HOST="api.example.com")
        assert redirected.status_code == 301
        assert redirected["Location"] == "https://api.example.com/status"


def misplaced_probe_middleware() -> list[str]:
    """The kit's MIDDLEWARE with the probe middleware moved after SecurityMiddleware."""
    middleware = [name for name in settings.MIDDLEWARE if name != PROBE]
    middleware.insert(middleware.index("django.middleware.security.SecurityMiddleware") + 1, PROBE)
    return middleware


def test_a_misplaced_probe_middleware_breaks_probes_and_is_kit_w060(client):
    assert checks.check_probe_middleware(None) == []
    with override_settings(MIDDLEWARE=misplaced_probe_middleware(), SECURE_SSL_REDIRECT=True):
        assert client.get("/health/live", HTTP_HOST="10.0.0.7").status_code == 400
        assert client.get("/health/live", HTTP_HOST="localhost").status_code == 301
        [warning] = checks.check_probe_middleware(None)
    assert warning.id == "kit.W060"
    assert "comes after django.middleware.security.SecurityMiddleware" in warning.msg


def test_a_missing_probe_middleware_is_kit_w060():
    without = [name for name in settings.MIDDLEWARE if name != PROBE]
    with override_settings(MIDDLEWARE=without):
        assert [message.id for message in checks.check_probe_middleware(None)] == ["kit.W060"]
    with override_settings(MIDDLEWARE=[name for name in without if name not in checks.HOST_CHECKERS]):
        assert checks.check_probe_middleware(None) == []


def test_only_get_and_head(client):
    response = client.post("/health/ready")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["code"] == "method_not_allowed"
    assert client.head("/health/live").status_code == 200


def broken_database(monkeypatch):
    """Point new connections at a database that is not there (wrong port, or a missing file)."""
    settings_dict = connections.settings["default"]
    if connection.vendor == "sqlite":
        monkeypatch.setitem(settings_dict, "NAME", "/nonexistent/kit-ops/db.sqlite3")
    else:
        monkeypatch.setitem(settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(settings_dict, "PORT", str(free_port()))


def test_ready_is_503_while_the_database_is_unreachable_and_200_when_back(client, monkeypatch):
    with monkeypatch.context() as patch:
        broken_database(patch)
        response = client.get("/health/ready")
        assert response.status_code == 503
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == "unhealthy"
        assert body["status"] == 503
        assert "database" in body["detail"]
        assert body["checks"]["database"]["status"] == "failing"
        assert body["checks"]["database"]["error"]
        assert body["checks"]["cache"]["status"] == "ok"
        colibris = client.get("/health")
        assert colibris.status_code == 503
        assert colibris.json()["code"] == "unhealthy"
        assert "database" in colibris.json()["detail"]
    assert client.get("/health/ready").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_ready_is_503_while_a_migration_is_unapplied(client):
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied("example", "0001_initial")
    try:
        response = client.get("/health/ready")
        assert response.status_code == 503
        check = response.json()["checks"]["migrations"]
        assert check["status"] == "failing"
        assert "example.0001_initial" in check["error"]
    finally:
        recorder.record_applied("example", "0001_initial")
    assert client.get("/health/ready").status_code == 200


@pytest.mark.redis
@pytest.mark.slow
def test_ready_needs_a_live_rq_worker_process(client, settings, redis_url, tmp_path):
    """503 naming the worker check while no worker listens; 200 once a real runworker is alive."""
    queue = f"ops-ready-{os.getpid()}"  # no other worker (of another test, or a stale one) serves it
    configured = task_settings("rq", redis_url=redis_url, queues=[queue])
    settings.TASKS, settings.RQ_QUEUES = configured["TASKS"], configured["RQ_QUEUES"]

    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert "task_queue" in body["detail"]
    assert queue in body["checks"]["task_queue"]["error"]
    assert body["checks"]["database"]["status"] == "ok"

    env = process_env(
        DATABASE_URL=child_database_url(), TASKS_BACKEND="rq", REDIS_URL=redis_url, TASK_QUEUES=queue
    )
    log = tmp_path / "worker.log"
    worker = start_manage("runworker", env=env, log=log)
    try:
        deadline = time.monotonic() + 30
        while (response := client.get("/health/ready")).status_code != 200:
            assert worker.poll() is None, f"runworker exited:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"{response.json()}\n{log.read_text()}"
            time.sleep(0.2)
        assert response.json()["checks"]["task_queue"]["status"] == "ok"
    finally:
        assert stop(worker) == 0, log.read_text()  # warm shutdown: the worker unregisters
    assert client.get("/health/ready").status_code == 503


release = threading.Event()
finished = threading.Event()
runs: list[int] = []


@dataclass
class HangingCheck(HealthCheck):
    name: ClassVar[str] = "hanging"
    timeout: ClassVar[float] = 0.3

    def run(self) -> None:
        runs.append(1)
        release.wait(30)
        finished.set()


def test_a_hanging_check_is_cut_off_by_its_timeout(client):
    release.clear()
    finished.clear()
    runs.clear()
    with override_settings(KIT={"HEALTH_CHECKS": ["tests.ops.test_health.HangingCheck"]}):
        response = client.get("/health/ready")
        assert not finished.is_set()  # answered while the check still hangs
        assert response.status_code == 503
        checks = response.json()["checks"]
        assert checks["hanging"]["error"] == "timed out after 0.3 s"
        assert checks["database"]["status"] == "ok"
        # While it still hangs, later probes fail at once instead of starting more threads.
        again = client.get("/health/ready").json()["checks"]["hanging"]
        assert again["error"] == "still hanging since an earlier run"
        assert not finished.is_set()
        assert len(runs) == 1
        release.set()
        assert finished.wait(10)
        # once its thread has ended, the next probe runs the check again (probes until then skip it)
        assert wait_for(lambda: client.get("/health/ready").status_code == 200, 10)
        assert len(runs) == 2


def failing_hook():
    raise HealthException("payments API unreachable")


def test_the_project_hook_is_colibris_get_health(client):
    with override_settings(KIT={"HEALTH_HOOK": "tests.ops.test_health.failing_hook"}):
        response = client.get("/health")
        assert response.status_code == 503
        body = response.json()
        assert "project" in body["detail"]
        assert body["checks"]["project"]["error"] == "payments API unreachable"


class ExplodingCheck(HealthCheck):
    name: ClassVar[str] = "exploding"

    def run(self) -> None:
        raise ZeroDivisionError("boom")


def test_an_unexpected_error_is_a_failing_check_not_a_500(client):
    with override_settings(KIT={"HEALTH_CHECKS": [ExplodingCheck]}):
        response = client.get("/health/ready")
        assert response.status_code == 503
        assert response.json()["checks"]["exploding"]["error"] == "ZeroDivisionError"  # message: logs only
        with override_settings(DEBUG=True):
            response = client.get("/health/ready")
    assert response.json()["checks"]["exploding"]["error"] == "ZeroDivisionError: boom"


def test_readiness_never_shows_the_database_drivers_message(client, monkeypatch, caplog):
    with monkeypatch.context() as patch:
        broken_database(patch)
        response = client.get("/health/ready")
        port = connections.settings["default"].get("PORT")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["error"] == "OperationalError"
    for internal in ("127.0.0.1", "nonexistent", "port", "connect"):
        assert internal not in response.content.decode()
    if port:
        assert str(port) not in response.content.decode()
    assert any("OperationalError: " in r.getMessage() for r in caplog.records if r.name == "kit.health.views")


def test_checks_that_cannot_even_be_built_give_a_503_not_a_500(client):
    with override_settings(KIT={"HEALTH_CHECKS": ["tests.ops.nowhere.Check"]}):
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["code"] == "unhealthy"


def test_run_checks_runs_them_concurrently():
    together = threading.Barrier(3, timeout=10)  # broken (the checks fail) unless all three run at once

    @dataclass
    class Meeting(HealthCheck):
        label_: str = "meeting"

        @property
        def label(self) -> str:
            return self.label_

        def run(self) -> None:
            together.wait()

    report = run_checks([Meeting("a"), Meeting("b"), Meeting("c")])
    assert report.ok, report
    assert not together.broken


def test_a_dummy_cache_is_not_checked():
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}):
        assert "cache" not in [check.label for check in get_checks()]


def test_status_describes_the_process(client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "REVISION").write_text("0123abc\n")
    with override_settings(KIT={"SERVICE_NAME": "orders", "SERVICE_VERSION": "1.2.3"}):
        body = client.get("/status").json()
    assert body["name"] == "orders"
    assert body["version"] == "1.2.3"
    assert body["git_revision"] == "0123abc"
    assert body["kit_version"] == kit.__version__
    assert body["django_version"]
    assert body["uptime_seconds"] >= 0
    assert body["pid"] == os.getpid()
    assert body["hostname"]
    assert body["started_at"].endswith("Z")
    assert body["migrations"]["example"] == "0002_specimen"  # the last one applied
    assert body["migrations"]["auth"].startswith("00")


def test_status_prefers_the_git_revision_setting(client):
    with override_settings(KIT={"GIT_REVISION": "feedbeef"}):
        assert client.get("/status").json()["git_revision"] == "feedbeef"


def test_status_survives_an_unreachable_database(client, monkeypatch):
    broken_database(monkeypatch)
    response = client.get("/status")
    assert response.status_code == 200
    assert response.json()["migrations"] is None


def reload_urls():
    importlib.reload(kit.urls)
    importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    clear_url_caches()


def test_the_status_path_is_configurable(client):
    try:
        with override_settings(KIT={"STATUS_URL": "/ops/about"}):
            reload_urls()
            assert client.get("/ops/about").status_code == 200
            assert client.get("/status").status_code == 404
    finally:
        reload_urls()
    assert client.get("/status").status_code == 200


class RequestIdCheck(HealthCheck):
    name: ClassVar[str] = "request-id"
    seen: ClassVar[list[str | None]] = []

    def run(self) -> None:
        self.seen.append(get_request_id())


def test_checks_run_with_the_request_id_of_the_probe(client):
    with override_settings(KIT={"HEALTH_CHECKS": [RequestIdCheck]}):
        response = client.get("/health/ready", HTTP_X_REQUEST_ID="probe-7")
    assert response.status_code == 200, response.content
    assert RequestIdCheck.seen == ["probe-7"]  # in its log lines and on its calls to upstreams
