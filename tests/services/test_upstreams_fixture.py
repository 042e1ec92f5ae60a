"""The ``upstreams`` fixture of kit.testing: upstreams stubbed by name, envelopes and problems."""

import httpx
import pytest

from kit.services import UpstreamProblem, UpstreamUnavailable, upstream
from kit.testing import assert_is_problem
from kit.testing.upstreams import envelope, problem


def test_stubbed_upstream_answers_envelopes_and_problems(upstreams):
    users = upstreams.stub("users")
    users.get("/api/v1/users/7").mock(return_value=envelope({"id": 7}, meta={"version": 2}))
    users.get("/api/v1/users/8").mock(return_value=problem(404, "not_found", "No user 8."))
    answer = upstream("users").get("/api/v1/users/7")
    assert answer.data == {"id": 7}
    assert answer.meta == {"request_id": "stub-request-id", "version": 2}
    with pytest.raises(UpstreamProblem) as caught:
        upstream("users").get("/api/v1/users/8")
    assert (caught.value.upstream_status, caught.value.upstream_code) == (404, "not_found")
    assert caught.value.upstream_detail == "No user 8."
    assert users.calls.call_count == 2


def test_views_calling_a_stubbed_upstream(api_client, upstreams):
    peer = upstreams.stub("peer")
    echo = peer.get("/services-test/echo").mock(return_value=envelope({"port": "8000"}))
    response = api_client.get("/services-test/call", HTTP_X_REQUEST_ID="stubbed-1")
    assert response.status_code == 200
    assert response.data["upstream"] == {"port": "8000"}
    assert echo.calls.last.request.headers["X-Request-ID"] == "stubbed-1"


def test_stubbed_transport_errors(api_client, upstreams):
    peer = upstreams.stub("peer", "http://peer-a:8888", "http://peer-b:8888")
    peer.get("/services-test/echo").mock(side_effect=httpx.ConnectError("refused"))
    body = assert_is_problem(api_client.get("/services-test/call"), status=503, code="service_unavailable")
    assert body["upstream"] == "peer"
    hosts = {call.request.url.host for call in peer.calls}
    assert hosts == {"peer-a", "peer-b"}  # both members were tried


def test_a_call_without_a_route_fails_the_test(upstreams):
    upstreams.stub("users")
    with pytest.raises(AssertionError, match="not mocked"):
        upstream("users").get("/unrouted")


def test_breakers_of_stubbed_upstreams_open_and_start_closed_in_the_next_test(upstreams):
    upstreams.stub("users").get("/x").mock(side_effect=httpx.ConnectError("down"))
    users = upstream("users")
    assert users.members[0].breaker.state.name == "CLOSED"
    for _ in range(2):  # 3 attempts each (2 retries): the 5th failure opens the breaker
        with pytest.raises(UpstreamUnavailable):
            users.get("/x")
    assert users.members[0].breaker.state.name == "OPEN"


def test_the_next_test_has_a_closed_breaker(upstreams):
    upstreams.stub("users").get("/x").mock(return_value=envelope(None))
    assert upstream("users").get("/x").data is None
