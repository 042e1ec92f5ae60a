"""The upstream client against a real HTTP server: JSON and envelopes, headers, errors, faults."""

import socket

import pytest

from kit.request_id import request_id_var
from kit.services import (
    UpstreamBadResponse,
    UpstreamProblem,
    UpstreamTimeout,
    UpstreamUnavailable,
    deadline,
    upstream,
)
from kit.tasks.context import TaskRun, running
from tests.tasks.conftest import wait_for


@pytest.fixture
def users(server, configure):
    configure("users", URL=[server.url + "/api/v1"], RETRIES=0)
    return upstream("users")


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"  # nothing listens once it is closed


def test_kit_envelope_is_unwrapped_and_paths_are_relative(users):
    answer = users.get("/items/7", params={"expand": "owner"})
    assert answer.status == 200
    assert answer.data["path"] == "/api/v1/items/7"
    assert answer.data["query"] == {"expand": "owner"}
    assert answer.meta["server"] == users.config.members[0].removesuffix("/api/v1/")
    assert users.get("items/7").data["path"] == "/api/v1/items/7"


def test_json_goes_out_and_a_plain_json_answer_is_the_data(users, server):
    answer = users.post("/plain", json={"name": "Ada", "tags": ["x"]})
    assert answer.data == {"hello": "world", "data": 1}  # not an envelope: the whole body
    assert answer.meta == {}
    sent = server.received[-1]
    assert sent["method"] == "POST"
    assert sent["body"] == {"name": "Ada", "tags": ["x"]}
    assert sent["headers"]["Content-Type"] == "application/json"


def test_an_empty_answer_has_no_data(users):
    answer = users.delete("/empty")
    assert answer.status == 204
    assert answer.data is None


def test_absolute_urls_are_refused(users):
    with pytest.raises(ValueError, match="relative"):
        users.get("http://elsewhere.example/steal")


def test_request_id_of_the_current_request_and_task_is_sent(users):
    token = request_id_var.set("req-abc-123")
    try:
        answer = users.get("/x")
    finally:
        request_id_var.reset(token)
    assert answer.meta["request_id"] == "req-abc-123"
    assert answer.request_id == "upstream-req-abc-123"  # the upstream's id of the call
    with running(TaskRun(id="t1", request_id="task-request-9")):
        assert users.get("/x").meta["request_id"] == "task-request-9"


def test_api_key_or_token_is_sent(server, configure):
    configure("users", URL=server.url, API_KEY="users-key-0123")
    assert upstream("users").get("/x").data["headers"]["Authorization"] == "Api-Key users-key-0123"
    configure("users", URL=server.url, API_KEY="users-key-0123", TOKEN="jwt.of.service")
    assert upstream("users").get("/x").data["headers"]["Authorization"] == "Bearer jwt.of.service"


def test_upstream_problem_becomes_a_typed_error(users):
    with pytest.raises(UpstreamProblem) as caught:
        users.get("/problem", params={"status": "404"})
    error = caught.value
    assert (error.upstream_status, error.upstream_code) == (404, "not_found")
    assert error.upstream_detail == "No user 42."
    assert error.upstream_request_id == "upstream-none"  # the header wins over the body's id
    assert error.body["request_id"] == "upstream-problem-id"
    assert (error.status_code, error.code, error.upstream) == (502, "bad_gateway", "users")


def test_an_error_page_without_problem_body_gets_the_status_code(users):
    with pytest.raises(UpstreamProblem) as caught:
        users.get("/error-html", params={"status": "500"})
    assert (caught.value.upstream_status, caught.value.upstream_code) == (500, "server_error")
    assert caught.value.upstream_detail is None


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/html", None, "answered text/html, not JSON"),
        ("/invalid-json", None, "answered invalid JSON"),
        ("/loop", None, "redirected in a loop"),
        ("/huge", None, "answered more than 1048576 bytes"),  # 2 GB announced: refused unread
        ("/huge", {"chunked": "1"}, "answered more than 1048576 bytes"),  # endless: cut at the limit
    ],
)
def test_unusable_answers_are_bad_gateway(server, configure, path, params, message):
    configure("users", URL=server.url, RETRIES=0, MAX_RESPONSE_SIZE=1024 * 1024)
    with pytest.raises(UpstreamBadResponse, match=message) as caught:
        upstream("users").get(path, params=params)
    assert (caught.value.status_code, caught.value.code) == (502, "bad_gateway")


def test_tls_to_a_plain_http_server_is_bad_gateway(server, configure):
    configure("users", URL=server.url.replace("http://", "https://"), RETRIES=0)
    with pytest.raises(UpstreamBadResponse, match=r"TLS connection .* failed"):
        upstream("users").get("/x")


def test_slow_upstream_is_cut_by_the_deadline(server, configure):
    configure("users", URL=server.url, TIMEOUT=5, DEADLINE=0.3, RETRIES=3)
    before = len(server.received)
    with pytest.raises(UpstreamTimeout) as caught:
        upstream("users").get("/slow", params={"seconds": "2"})
    assert (caught.value.status_code, caught.value.code) == (504, "gateway_timeout")
    assert len(server.received) - before == 1  # no retry can fit in what is left


def test_ambient_deadline_shortens_the_call(server, configure):
    configure("users", URL=server.url, TIMEOUT=5, DEADLINE=30)
    with deadline(0.2), pytest.raises(UpstreamTimeout):
        upstream("users").get("/slow", params={"seconds": "2"})


def test_upstream_down_is_service_unavailable(configure):
    configure("users", URL=closed_port_url(), RETRIES=1)
    with pytest.raises(UpstreamUnavailable, match=r"No member .* could be reached") as caught:
        upstream("users").get("/x")
    assert (caught.value.status_code, caught.value.code) == (503, "service_unavailable")


def test_idempotent_calls_are_retried_until_they_succeed(server, configure):
    configure("users", URL=server.url, RETRIES=2)
    answer = upstream("users").get("/flaky", params={"fails": "2"}, headers={"X-Test-Key": "get-1"})
    assert answer.status == 200
    assert server.hits["get-1/flaky"] == 3


def test_post_is_not_retried_unless_it_has_an_idempotency_key(server, configure):
    configure("users", URL=server.url, RETRIES=2)
    with pytest.raises(UpstreamProblem):
        upstream("users").post("/flaky", json={}, headers={"X-Test-Key": "post-1"})
    assert server.hits["post-1/flaky"] == 1
    answer = upstream("users").post(
        "/flaky", json={}, headers={"X-Test-Key": "post-2", "Idempotency-Key": "order-77"}
    )
    assert answer.status == 200
    assert server.hits["post-2/flaky"] == 2


def test_retry_after_longer_than_the_deadline_is_not_waited_for(server, configure):
    configure("users", URL=server.url, RETRIES=3, DEADLINE=1)
    with pytest.raises(UpstreamProblem) as caught:
        upstream("users").get("/flaky", params={"retry_after": "30"}, headers={"X-Test-Key": "ra-1"})
    assert caught.value.upstream_status == 503
    assert server.hits["ra-1/flaky"] == 1


def test_retry_after_within_the_deadline_is_honoured(server, configure):
    configure("users", URL=server.url, RETRIES=1, DEADLINE=5)
    answer = upstream("users").get("/flaky", params={"retry_after": "1"}, headers={"X-Test-Key": "ra-2"})
    assert answer.status == 200
    assert server.hits["ra-2/flaky"] == 2


def test_round_robin_over_members_and_failover_from_a_dead_one(configure):
    from tests.services.upstream_server import UpstreamServer

    second = UpstreamServer()
    dead = closed_port_url()
    try:
        first_url = f"http://127.0.0.1:{second.server_address[1]}"
        configure("users", URL=[first_url, dead], RETRIES=0, BREAKER_THRESHOLD=100)
        users = upstream("users")
        answers = [users.get("/x").meta["server"] for _ in range(4)]
        assert answers == [first_url] * 4  # the dead member's turns fail over to the live one
        assert len(second.received) == 4
    finally:
        second.stop()


def test_breaker_opens_after_consecutive_failures_then_probes_and_closes(server, configure):
    configure("users", URL=server.url, RETRIES=0, BREAKER_THRESHOLD=2, BREAKER_RESET=0.2)
    users = upstream("users")
    breaker = users.members[0].breaker
    for _ in range(2):
        with pytest.raises(UpstreamProblem):
            users.get("/error-html", params={"status": "503"})
    assert breaker.state.name == "OPEN"
    before = len(server.received)
    with pytest.raises(UpstreamUnavailable, match="circuit breakers are open") as caught:
        users.get("/x")
    assert len(server.received) == before  # refused without calling
    assert caught.value.headers["Retry-After"] == "1"
    assert wait_for(lambda: breaker.retry_in() == 0, timeout=5)
    assert users.get("/x").status == 200  # the half-open probe
    assert breaker.state.name == "CLOSED"


def test_four_hundreds_do_not_open_the_breaker(users):
    for _ in range(6):
        with pytest.raises(UpstreamProblem):
            users.get("/problem")
    assert users.members[0].breaker.state.name == "CLOSED"
