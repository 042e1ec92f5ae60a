"""Prometheus metrics in-process, and Sentry events received by a local HTTP server."""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.checks import run_checks
from django.test import override_settings
from prometheus_client.parser import text_string_to_metric_families

from tests.ops.processes import manage, process_env

try:
    from django.tasks import task
except ImportError:  # Django 5.2: the django-tasks backport
    from django_tasks import task

TOKEN = "metrics-token-for-the-tests-0123456789"
METRICS_ON = {"METRICS_ENABLED": True, "METRICS_TOKEN": TOKEN}


def scrape(client) -> dict[tuple[str, frozenset], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples, name, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.mark.django_db
@override_settings(KIT=METRICS_ON)
def test_metrics_count_requests_by_view_and_status(client):
    before = scrape(client)
    for _ in range(3):
        client.get("/health/live")
    client.get("/no/such/page")
    after = scrape(client)

    def added(**labels):
        return value(after, "http_requests_total", **labels) - value(before, "http_requests_total", **labels)

    assert added(method="GET", view="health-live", status="200") == 3
    assert added(method="GET", view="<unmatched>", status="404") == 1
    count = {"method": "GET", "view": "health-live"}
    assert value(after, "http_request_duration_seconds_count", **count) >= 3


@override_settings(KIT=METRICS_ON)
@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", f"Basic {TOKEN}", TOKEN])
def test_metrics_refuse_without_the_token(client, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get("/metrics", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert response.json()["code"] == "unauthenticated"


def test_metrics_are_off_by_default(client):
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 404


@override_settings(KIT={"METRICS_ENABLED": True})
def test_metrics_without_a_token_refuse_everything_and_fail_the_checks(client):
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 401
    assert "kit.E060" in [message.id for message in run_checks()]


@task
def add(a: int, b: int) -> int:
    return a + b


@override_settings(KIT=METRICS_ON)
def test_metrics_count_tasks_by_status(client):
    import kit.monitoring.metrics  # noqa: F401  (connects the task signals, as the middleware does)

    before = scrape(client)
    assert add.enqueue(1, 2).return_value == 3
    after = scrape(client)
    for status in ("enqueued", "successful"):
        labels = {"task": "tests.ops.test_monitoring.add", "status": status}
        assert value(after, "tasks_total", **labels) == value(before, "tasks_total", **labels) + 1


@pytest.mark.redis
def test_metrics_report_queue_depth_and_workers(client, redis_url):
    from redis import Redis
    from rq import Queue

    from kit.tasks.queues import rq_queue_name

    connection = Redis.from_url(redis_url)
    queue = Queue(rq_queue_name("ops-metrics"), connection=connection)
    queue.empty()
    queue.enqueue("tests.ops.urls.slow")
    queue.enqueue("tests.ops.urls.slow")
    options = {**METRICS_ON, "HEALTH_TASK_QUEUES": ["ops-metrics"]}
    try:
        with override_settings(KIT=options, RQ_QUEUES={"ops-metrics": {"URL": redis_url}}):
            samples = scrape(client)
    finally:
        queue.empty()
    assert value(samples, "task_queue_depth", queue="ops-metrics") == 2
    assert value(samples, "task_queue_jobs", queue="ops-metrics", state="queued") == 2
    assert value(samples, "task_queue_jobs", queue="ops-metrics", state="failed") == 0
    assert value(samples, "task_queue_workers", queue="ops-metrics") == 0


class SentryIngest(BaseHTTPRequestHandler):
    """Collects the envelopes the Sentry SDK posts."""

    envelopes: list[list[dict]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.envelopes.append([json.loads(line) for line in body.splitlines() if line.strip()])
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


SENTRY_SCRIPT = """
import logging
import sentry_sdk
from kit.request_id import request_id_var

request_id_var.set("req-sentry-1")
logging.getLogger("app").error("payment failed")
sentry_sdk.flush(5)
"""


def test_sentry_events_carry_the_request_id():
    server = ThreadingHTTPServer(("127.0.0.1", 0), SentryIngest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dsn = f"http://public@127.0.0.1:{server.server_port}/1"
    try:
        result = manage("shell", "--no-imports", "-c", SENTRY_SCRIPT, env=process_env(SENTRY_DSN=dsn))
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    items = [item for envelope in SentryIngest.envelopes for item in envelope]
    events = [item for item in items if "logentry" in item or "message" in item]
    assert events, SentryIngest.envelopes
    event = events[0]
    assert event["tags"]["request_id"] == "req-sentry-1"
    assert {"django", "rq"} <= set(event["sdk"]["integrations"])
