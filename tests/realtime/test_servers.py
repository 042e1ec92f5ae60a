"""WebSockets served by real processes: two ``manage.py serve --websockets`` on one Redis.

The servers share a SQLite database file, the test Redis (channel layer and cache, under a prefix
of this run) and are driven by a real WebSocket client (the ``websockets`` library) and HTTP. It
proves the scale-out promises (an event caused on B reaches a client on A; a logout on A closes a
connection on B, a revocation of every token on A closes the user's connections on both; rights
withdrawn by another process stop the events on both; a deleted object's event reaches, on A, the
subscribers whose scope showed it), authentication by header, API key, cookie (with the ``Origin``
check) and first message, the frame limit, metrics, and the graceful stop with 1001.
"""

import json
import os
import re
import signal
import urllib.request
import uuid

import pytest
from websockets.exceptions import InvalidStatus

from tests.ops.processes import PrivateRedis, http_get, http_json, manage, process_env, stop
from tests.realtime.servers import WebSocketServer, close_code, receive, silent_client
from tests.tasks.conftest import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.redis]

PASSWORD = "realtime-password-0123"
METRICS_TOKEN = "realtime-metrics-token-0123456789abcdef"
CREATE_USERS = f"""
from django.contrib.auth import get_user_model
from kit.authentication.api_keys.keys import api_key_create
from kit.models import Right
User = get_user_model()
for name in ("alice", "bob", "carol", "dave"):
    user = User.objects.create_user(name, password="{PASSWORD}")
    for operation in ("read", "create", "update", "delete"):
        Right.objects.create(user=user, resource="live_items", operation=operation)
        Right.objects.create(user=user, resource="own_items", operation=operation)
    Right.objects.create(user=user, resource="notes", operation="read")
print(api_key_create(owner=User.objects.get(username="bob"), name="ws")[1])
"""


@pytest.fixture(scope="module", autouse=True)
def once_per_suite():
    """These processes use their own SQLite file: run them in the SQLite pass of the suite only."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("process tests run in the SQLite pass")


@pytest.fixture(scope="module")
def environment(tmp_path_factory, redis_url):
    folder = tmp_path_factory.mktemp("realtime")
    env = {
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "CACHE_URL": redis_url,
        "CHANNEL_LAYER_URL": redis_url,
        "CACHE_NAMESPACE": f"realtime{os.getpid()}",
        "WS_AUTH_TIMEOUT": "1",
        "WS_SEND_TIMEOUT": "1",
        "JWT_COOKIE_NAME": "access",
        "CORS_ALLOWED_ORIGINS": "https://app.example.com",
        "METRICS_ENABLED": "true",
        "METRICS_TOKEN": METRICS_TOKEN,
    }
    result = manage("migrate", "--no-input", env=process_env(**env))
    assert result.returncode == 0, result.stderr
    result = manage("shell", "-c", CREATE_USERS, env=process_env(**env))
    assert result.returncode == 0, result.stderr
    return folder, env, result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def servers(environment):
    folder, env, _ = environment
    first, second = WebSocketServer(folder, "a", env), WebSocketServer(folder, "b", env)
    yield first, second
    stop(first.process)
    stop(second.process)


def login(server, username):
    status, body = http_json(
        "POST", f"{server.http}/api/auth/token", {"username": username, "password": PASSWORD}
    )
    assert status == 200, body
    return body["data"]


def test_a_client_on_one_server_receives_events_caused_on_the_other(servers):
    a, b = servers
    token = login(a, "alice")["access"]
    with a.connect("/ws/v1/events", token=token) as websocket:
        websocket.send(json.dumps({"type": "subscribe", "resource": "live_items"}))
        assert receive(websocket)["data"] == {"resource": "live_items"}
        status, created = http_json(
            "POST", f"{b.http}/realtime-test/live-items", {"name": "via b"}, token=token
        )
        assert status == 201, created
        event = receive(websocket)
        assert event["type"] == "event"
        assert event["data"] == {
            "resource": "live_items",
            "action": "created",
            "id": created["data"]["id"],
            "object": created["data"],
        }
        assert event["meta"]["request_id"] == created["meta"]["request_id"]


def test_a_logout_on_one_server_closes_the_connection_on_the_other_4401(servers):
    a, b = servers
    tokens = login(a, "bob")
    with b.connect("/ws/test/echo", token=tokens["access"]) as websocket:
        websocket.send(json.dumps({"type": "read"}))
        assert receive(websocket)["type"] == "notes"  # connected and in its user's group
        status, _ = http_json(
            "POST", f"{a.http}/api/auth/logout", {"refresh": tokens["refresh"]}, token=tokens["access"]
        )
        assert status == 204
        problem = receive(websocket)["problem"]
        assert (problem["status"], problem["code"]) == (401, "unauthenticated")
        assert close_code(websocket) == 4401


def test_revoking_every_token_on_one_server_closes_the_users_connections_on_both_4401(servers):
    a, b = servers
    token = login(a, "carol")["access"]
    with a.connect("/ws/test/echo", token=token) as on_a, b.connect("/ws/test/echo", token=token) as on_b:
        for websocket in (on_a, on_b):
            websocket.send(json.dumps({"type": "read"}))
            assert receive(websocket)["type"] == "notes"
        status, _ = http_json("POST", f"{a.http}/realtime-test/revoke-my-tokens", {}, token=token)
        assert status == 204
        for websocket in (on_b, on_a):
            assert receive(websocket)["problem"]["code"] == "unauthenticated"
            assert close_code(websocket) == 4401


def subscribe(websocket, resource):
    websocket.send(json.dumps({"type": "subscribe", "resource": resource}))
    assert receive(websocket)["data"] == {"resource": resource}


def test_rights_withdrawn_by_another_process_stop_the_events_on_both_servers(servers, environment):
    a, b = servers
    dave, alice = login(a, "dave")["access"], login(a, "alice")["access"]
    with (
        a.connect("/ws/v1/events", token=dave) as dave_on_a,
        b.connect("/ws/v1/events", token=dave) as dave_on_b,
        a.connect("/ws/v1/events", token=alice) as alice_on_a,
    ):
        for websocket in (dave_on_a, dave_on_b, alice_on_a):
            subscribe(websocket, "live_items")
        withdraw = "from kit.models import Right; Right.objects.filter(user__username='dave').delete()"
        result = manage("shell", "-c", withdraw, env=process_env(**environment[1]))
        assert result.returncode == 0, result.stderr
        item = {"name": "after"}
        status, created = http_json("POST", f"{b.http}/realtime-test/live-items", item, token=alice)
        assert status == 201, created
        assert receive(alice_on_a)["data"]["id"] == created["data"]["id"]  # the event went out
        for websocket in (dave_on_a, dave_on_b):
            with pytest.raises(TimeoutError):
                receive(websocket, timeout=1)


def test_a_deleted_objects_event_reaches_on_a_the_subscribers_whose_scope_showed_it_on_b(servers):
    a, b = servers
    alice, bob = login(a, "alice")["access"], login(a, "bob")["access"]
    status, created = http_json("POST", f"{b.http}/realtime-test/own-items", {"name": "alices"}, token=alice)
    assert status == 201, created
    pk = created["data"]["id"]
    with a.connect("/ws/v1/events", token=alice) as owner, a.connect("/ws/v1/events", token=bob) as other:
        subscribe(owner, "own_items")
        subscribe(other, "own_items")
        status, _ = http_json("DELETE", f"{b.http}/realtime-test/own-items/{pk}", token=alice)
        assert status == 204
        event = receive(owner)
        assert (event["data"]["action"], event["data"]["id"]) == ("deleted", pk)
        with pytest.raises(TimeoutError):
            receive(other, timeout=1)


def test_api_keys_and_first_message_tokens_authenticate_query_strings_never(servers, environment):
    a, _ = servers
    api_key = environment[2]
    with a.connect("/ws/test/echo", headers={"X-API-Key": api_key}) as websocket:
        websocket.send(json.dumps({"type": "read"}))
        assert receive(websocket)["type"] == "notes"
    token = login(a, "alice")["access"]
    with a.connect("/ws/test/echo") as websocket:
        websocket.send(json.dumps({"type": "authenticate", "token": token}))
        assert receive(websocket)["type"] == "authenticated"
    with a.connect(f"/ws/test/echo?token={token}") as websocket:
        assert receive(websocket)["problem"]["code"] == "unauthenticated"  # after WS_AUTH_TIMEOUT
        assert close_code(websocket) == 4401


def test_the_jwt_cookie_counts_from_allowed_origins_only(servers):
    a, _ = servers
    cookie = {"Cookie": f"access={login(a, 'alice')['access']}"}
    for origin in ("https://app.example.com", a.http):
        with a.connect("/ws/test/echo", headers=cookie, origin=origin) as websocket:
            websocket.send(json.dumps({"type": "read"}))
            assert receive(websocket)["type"] == "notes", origin
    with a.connect("/ws/test/echo", headers=cookie, origin="https://evil.example.net") as websocket:
        websocket.send(json.dumps({"type": "read"}))
        assert receive(websocket)["problem"]["code"] == "unauthenticated"
        assert close_code(websocket) == 4401


def test_an_oversized_frame_is_answered_then_closed_1009(servers):
    a, _ = servers
    with a.connect("/ws/test/public") as websocket:
        websocket.send(json.dumps({"type": "ping", "pad": "x" * 70_000}))
        assert receive(websocket)["problem"]["code"] == "payload_too_large"
        assert close_code(websocket) == 1009


def test_a_client_that_does_not_read_is_closed_1008(servers):
    a, _ = servers
    client = silent_client(a.port, "/ws/test/flood", json.dumps({"type": "flood", "frames": 1000}))
    try:  # 60 MB for a client that reads nothing: the server gives up after WS_SEND_TIMEOUT (1 s)
        assert wait_for(lambda: "client does not read" in a.log.read_text(), 30)
        assert wait_for(lambda: "(user -, code 1008)" in a.log.read_text(), 10)
    finally:
        client.close()


def test_a_subscriber_that_does_not_read_its_events_is_closed_1008(servers, environment):
    a, _ = servers
    token = login(a, "alice")["access"]
    subscribe = json.dumps({"type": "subscribe", "resource": "live_items"})
    client = silent_client(a.port, "/ws/v1/events", subscribe, {"Authorization": f"Bearer {token}"})
    flood = (
        "from kit.realtime import publish\n"
        "for n in range(40): publish('live_items', 'created', pk=n, data='x' * 500_000)"
    )  # fewer events than the layer's channel capacity (100): none is dropped on the way
    try:  # 20 MB of events for a client that reads nothing (subscribed while the shell starts)
        result = manage("shell", "-c", flood, env=process_env(**environment[1]))
        assert result.returncode == 0, result.stderr
        assert wait_for(lambda: "client does not read: closing /ws/v1/events" in a.log.read_text(), 30)
        assert wait_for(
            lambda: re.search(r"closed /ws/v1/events \(user \d+, code 1008\)", a.log.read_text()), 10
        )
    finally:
        client.close()


def test_metrics_count_connections_messages_and_close_codes(servers):
    a, _ = servers
    with a.connect("/ws/test/public") as websocket:
        websocket.send(json.dumps({"type": "ping"}))
        receive(websocket)
        status, body = http_get(f"{a.http}/metrics", {"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert status == 200
    text = body.decode()
    assert 'websocket_connections{consumer="PublicConsumer"}' in text
    assert 'websocket_messages_total{consumer="PublicConsumer",direction="in",type="ping"}' in text
    assert 'websocket_messages_total{consumer="PublicConsumer",direction="out",type="pong"}' in text


def test_compression_is_not_negotiated_by_default(servers):
    a, _ = servers
    with a.connect("/ws/test/public") as websocket:  # the client offers permessage-deflate
        assert "permessage-deflate" in websocket.request.headers["Sec-WebSocket-Extensions"]
        assert websocket.response.headers.get("Sec-WebSocket-Extensions") is None
        websocket.send(json.dumps({"type": "ping"}))
        assert receive(websocket)["type"] == "pong"


def test_a_plain_http_request_to_a_websocket_path_is_not_found(servers):
    a, _ = servers
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{a.http}/ws/v1/events", timeout=5)
    assert error.value.code == 404


def test_sigterm_closes_open_connections_with_1001(environment):
    folder, env, _ = environment
    server = WebSocketServer(folder, "c", env)
    try:
        with server.connect("/ws/test/public") as websocket:
            server.process.send_signal(signal.SIGTERM)
            assert close_code(websocket) == 1001
        assert server.process.wait(30) == 0
    finally:
        stop(server.process)
    with pytest.raises((OSError, InvalidStatus)), server.connect("/ws/test/public"):
        pass


@pytest.mark.parametrize("outage", ["stopped", "paused"])
def test_a_channel_layer_outage_refuses_subscriptions_then_recovers(environment, tmp_path, outage):
    folder, env, _ = environment
    redis_server = PrivateRedis(tmp_path / "redis.log")
    redis_server.start()
    server = WebSocketServer(folder, f"outage-{outage}", {**env, "CHANNEL_LAYER_URL": redis_server.url})
    try:
        token = login(server, "alice")["access"]
        with server.connect("/ws/v1/events", token=token) as websocket:
            websocket.send(json.dumps({"type": "subscribe", "resource": "live_items"}))
            assert receive(websocket)["type"] == "subscribed"
            redis_server.stop() if outage == "stopped" else redis_server.pause()
            websocket.send(json.dumps({"type": "subscribe", "resource": "notes"}))
            problem = receive(websocket, timeout=15)["problem"]  # paused: after a group change's wait
            assert (problem["status"], problem["code"]) == (503, "service_unavailable")
            status, body = http_get(f"{server.http}/health/ready")
            assert status == 503 and b"channel_layer" in body
            redis_server.start() if outage == "stopped" else redis_server.resume()

            def subscribed():
                websocket.send(json.dumps({"type": "subscribe", "resource": "notes"}))
                return receive(websocket)["type"] == "subscribed"

            assert wait_for(subscribed, 15, interval=0.5)

            def event_received():  # the connection joined its groups again (Redis restarted empty)
                http_json(
                    "POST", f"{server.http}/realtime-test/live-items", {"name": uuid.uuid4().hex}, token=token
                )
                try:
                    return receive(websocket, timeout=0.5)["type"] == "event"
                except TimeoutError:
                    return False

            assert wait_for(event_received, 15)
        assert http_get(f"{server.http}/health/ready")[0] == 200
    finally:
        stop(server.process)
        redis_server.stop()
    assert "Channel layer unavailable" in server.log.read_text()
