"""ProxyView against a real upstream server: forwarding, streaming, headers, rights, failures."""

import pytest

from kit.testing import assert_is_problem
from tests.services.test_client import closed_port_url


@pytest.fixture
def peer(server, configure):
    configure("peer", URL=server.url, RETRIES=0)
    return server


def test_requests_are_forwarded_with_path_query_body_and_forwarding_headers(api_client, peer):
    response = api_client.post(
        "/services-test/proxy/items/7?expand=owner",
        {"name": "Ada"},
        format="json",
        HTTP_X_REQUEST_ID="proxied-1",
        HTTP_COOKIE="sessionid=secret-of-this-service",
        HTTP_CONNECTION="keep-alive, X-Private",
        HTTP_X_PRIVATE="hop",
        HTTP_X_CUSTOM="kept",
        HTTP_X_FORWARDED_FOR="10.0.0.9",
    )
    assert response.status_code == 200
    received = peer.received[-1]
    assert (received["method"], received["path"], received["query"]) == (
        "POST",
        "/api/items/7",
        {"expand": "owner"},
    )
    assert received["body"] == {"name": "Ada"}
    headers = received["headers"]
    assert headers["X-Custom"] == "kept"
    assert headers["X-Request-ID"] == "proxied-1"
    assert headers["X-Forwarded-For"] == "10.0.0.9, 127.0.0.1"
    assert headers["X-Forwarded-Proto"] == "http"
    assert headers["X-Forwarded-Host"] == "testserver"
    assert "Cookie" not in headers
    assert "X-Private" not in headers  # named by Connection: hop-by-hop
    body = b"".join(response.streaming_content)
    assert b'"path": "/api/items/7"' in body
    assert response["X-Request-ID"] == "proxied-1"


def test_upstream_status_and_body_pass_through(api_client, peer):
    response = api_client.get("/services-test/proxy/problem?status=409&code=conflict")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert b'"code": "conflict"' in b"".join(response.streaming_content)


def test_large_answers_stream(api_client, peer):
    response = api_client.get("/services-test/proxy/huge?chunked=1")
    assert response.status_code == 200
    first = next(iter(response.streaming_content))
    assert first.startswith(b"[1,1,")
    response.close()  # the upstream connection is closed, the endless body never read whole


def test_rights_are_checked_before_anything_is_forwarded(api_client, auth_client, peer):
    before = len(peer.received)
    assert_is_problem(api_client.get("/services-test/guarded/items"), status=401, code="unauthenticated")
    refused = auth_client(permissions=["other:read"])
    assert_is_problem(refused.get("/services-test/guarded/items"), status=403, code="forbidden")
    assert len(peer.received) == before
    allowed = auth_client(permissions=["peer:read"])
    assert allowed.get("/services-test/guarded/items").status_code == 200
    assert peer.received[-1]["path"] == "/api/items"
    assert "Authorization" in peer.received[-1]["headers"]  # the caller's credentials go along


def test_body_size_limit_applies_before_forwarding(api_client, peer, settings):
    settings.KIT = {**settings.KIT, "MAX_REQUEST_BODY_SIZE": 100}
    before = len(peer.received)
    response = api_client.post("/services-test/proxy/items", {"text": "x" * 500}, format="json")
    assert_is_problem(response, status=413, code="payload_too_large")
    assert len(peer.received) == before


def test_upstream_down_or_slow_is_a_gateway_problem(api_client, configure, server):
    configure("peer", URL=[closed_port_url()])
    body = assert_is_problem(api_client.get("/services-test/proxy/x"), status=503, code="service_unavailable")
    assert body["upstream"] == "peer"
    configure("peer", URL=[server.url], TIMEOUT=0.5)
    assert_is_problem(
        api_client.get("/services-test/proxy/slow?seconds=3"), status=504, code="gateway_timeout"
    )
