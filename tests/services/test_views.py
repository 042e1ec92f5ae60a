"""Upstream errors a view does not catch are problems naming the upstream (never a 500); metrics,
context propagation from a real request, gather, and the readiness check."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kit.testing import assert_is_problem
from tests.services.test_client import closed_port_url

TOKEN = "metrics-token-for-the-tests-0123456789"


@pytest.fixture
def peer(server, configure):
    configure("peer", URL=server.url, RETRIES=0)
    return server


def test_the_request_id_trace_context_and_forwarded_credentials_reach_the_upstream(api_client, peer):
    response = api_client.get(
        "/services-test/call?path=plain&forward_auth=1",
        HTTP_X_REQUEST_ID="caller-request-1",
        HTTP_TRACEPARENT="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        HTTP_AUTHORIZATION="Bearer caller-token",
    )
    assert response.status_code == 200
    headers = peer.received[-1]["headers"]
    assert headers["X-Request-ID"] == "caller-request-1"
    assert headers["traceparent"] == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    assert headers["Authorization"] == "Bearer caller-token"


def test_credentials_are_not_forwarded_unless_asked(api_client, peer, configure):
    configure("peer", URL=peer.url, API_KEY="peer-key-0123")
    api_client.get("/services-test/call?path=plain", HTTP_AUTHORIZATION="Bearer caller-token")
    assert peer.received[-1]["headers"]["Authorization"] == "Api-Key peer-key-0123"
    api_client.get("/services-test/call?path=plain&forward_auth=1")  # no caller credentials: none sent
    assert "Authorization" not in peer.received[-1]["headers"]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("problem", 502, "bad_gateway"),
        ("html", 502, "bad_gateway"),
        ("invalid-json", 502, "bad_gateway"),
        ("loop", 502, "bad_gateway"),
        ("slow?seconds=4", 504, "gateway_timeout"),
    ],
)
def test_unhandled_upstream_errors_are_gateway_problems(api_client, peer, configure, path, status, code):
    configure("peer", URL=peer.url, RETRIES=0, DEADLINE=1.5)
    response = api_client.get("/services-test/call", {"path": path})
    body = assert_is_problem(response, status=status, code=code)
    assert body["upstream"] == "peer"
    assert "'peer'" in body["detail"]
    assert "No user 42" not in body["detail"]  # the upstream's own words stay in the log


def test_upstream_down_is_a_503_problem(api_client, configure):
    configure("peer", URL=closed_port_url(), RETRIES=0)
    body = assert_is_problem(api_client.get("/services-test/call"), status=503, code="service_unavailable")
    assert body["upstream"] == "peer"


def test_gather_runs_the_calls_of_a_view_in_order_with_their_errors(api_client, peer):
    response = api_client.get("/services-test/gather", HTTP_X_REQUEST_ID="gathered-1")
    assert response.status_code == 200
    assert response.data == ["gathered-1", "bad_gateway", "gathered-1"]  # missing answered 404 upstream


def test_metrics_count_calls_retries_and_breaker_state(api_client, peer, configure, settings):
    configure("peer", URL=peer.url, RETRIES=1, BREAKER_THRESHOLD=1)
    settings.KIT = {**settings.KIT, "METRICS_ENABLED": True, "METRICS_TOKEN": TOKEN}
    api_client.get("/services-test/call?path=plain")
    api_client.get("/services-test/call?path=error-html")  # 502 twice (a retry), breaker opens
    scrape = api_client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(scrape.content.decode())
        for sample in family.samples
    }

    def value(name, **labels):
        return samples.get((name, tuple(sorted(labels.items()))), 0)

    assert value("upstream_requests_total", upstream="peer", method="GET", outcome="200") >= 1
    assert value("upstream_requests_total", upstream="peer", method="GET", outcome="502") >= 1
    assert value("upstream_retries_total", upstream="peer") >= 1
    assert value("upstream_breaker_state", upstream="peer", member=peer.url + "/") == 2
    assert value("upstream_request_duration_seconds_count", upstream="peer", method="GET") >= 2


def test_readiness_checks_upstreams_that_ask_for_it(api_client, peer, configure):
    configure("peer", URL=[closed_port_url(), peer.url], READY_CHECK=True, READY_PATH="/plain")
    response = api_client.get("/health/ready")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["upstream:peer"]["status"] == "ok"
    configure("peer", URL=closed_port_url(), READY_CHECK=True)
    response = api_client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["upstream:peer"]["status"] == "failing"
