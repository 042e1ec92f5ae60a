"""The consumer base class and live events through the ``ws_client`` fixture (in process, every database)."""

import pytest

from kit.testing.users import create_user
from tests.example.models import Item

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_handler_answers_validated_payloads_in_the_envelope(ws_client):
    client = ws_client("/ws/test/echo", permissions=["notes:read"])
    client.send({"type": "echo", "text": "ab", "times": 2, "request_id": "req-1"})
    assert client.receive() == {"type": "echoed", "data": {"text": "abab"}, "meta": {"request_id": "req-1"}}


def test_every_bad_message_is_answered_with_the_http_apis_problem(ws_client):
    client = ws_client("/ws/test/echo", permissions=["notes:read"])
    client.send("{not json")
    client.assert_problem(400, "parse_error")
    client.send("[1, 2]")
    client.assert_problem(400, "invalid_message")
    client.send({"text": "no type"})
    client.assert_problem(400, "invalid_message")
    client.send({"type": "unknown"})
    problem = client.assert_problem(400, "invalid_message")
    assert problem["detail"] == "Unknown message type 'unknown'."
    client.send({"type": "echo", "times": 9})
    problem = client.assert_problem(400, "validation_error")
    assert {error["attr"] for error in problem["errors"]} == {"text", "times"}
    assert problem["instance"] == "/ws/test/echo"
    client.send({"type": "purge"})  # needs notes:purge
    assert client.assert_problem(403, "forbidden")["detail"] == "Missing permission: notes:purge."
    client.send({"type": "crash"})
    client.assert_problem(500, "server_error")
    assert client.receive_nothing()  # the connection stays open after each of them


def test_resource_operations_and_explicit_permissions_are_required_like_views(ws_client):
    reader = ws_client("/ws/test/echo", permissions=["notes:read"])
    reader.send({"type": "read"})
    assert reader.receive()["type"] == "notes"
    stranger = ws_client("/ws/test/echo", permissions=["other:read"])
    stranger.send({"type": "read"})
    assert stranger.assert_problem(403, "forbidden")["detail"] == "Missing permission: notes:read."
    purger = ws_client("/ws/test/echo", permissions=["notes:purge"])
    purger.send({"type": "purge"})  # a sync handler raising a problem
    purger.assert_problem(409, "conflict")


def test_a_sync_handler_runs_in_the_database_thread(ws_client):
    Item.objects.create(name="counted")
    client = ws_client("/ws/test/echo", permissions=["notes:read"])
    client.send({"type": "count"})
    assert client.receive()["data"] == {"items": 1}


def test_messages_over_the_rate_are_throttled(ws_client):
    client = ws_client("/ws/test/echo", permissions=["notes:read"])
    for _ in range(10):  # EchoConsumer.message_rate = "10/minute"
        client.send({"type": "echo", "text": "x"})
        assert client.receive()["type"] == "echoed"
    client.send({"type": "echo", "text": "x"})
    client.assert_problem(429, "throttled")


def test_a_message_over_the_size_limit_is_refused_then_the_socket_closed_1009(ws_client, settings):
    settings.KIT = {**settings.KIT, "WS_MAX_MESSAGE_SIZE": 100}
    client = ws_client("/ws/test/echo", permissions=["notes:read"])
    client.send({"type": "echo", "text": "x" * 200})
    client.assert_problem(413, "payload_too_large")
    assert client.closed() == 1009


def test_anonymous_and_invalid_credentials_close_4401(ws_client):
    anonymous = ws_client("/ws/test/echo")
    anonymous.send({"type": "echo", "text": "x"})
    anonymous.assert_problem(401, "unauthenticated")
    assert anonymous.closed() == 4401
    forged = ws_client("/ws/test/echo", headers={"Authorization": "Bearer not-a-token"})
    forged.assert_problem(401, "unauthenticated")
    assert forged.closed() == 4401


def test_a_consumer_without_authentication_serves_anonymous_connections(ws_client):
    client = ws_client("/ws/test/public")
    client.send({"type": "ping"})
    assert client.receive()["data"] == {"user": "-"}


def test_an_authenticate_first_message_authenticates(ws_client):
    from kit.testing.websockets import headers_for

    user = create_user(permissions=["notes:read"])
    token = headers_for(user)["AUTHORIZATION"].split()[1]
    client = ws_client("/ws/test/echo")
    client.send({"type": "authenticate", "token": token})
    assert client.receive()["data"] == {"user": str(user.pk)}
    client.send({"type": "read"})
    assert client.receive()["type"] == "notes"


def test_no_credentials_in_time_close_4401(ws_client, settings):
    settings.KIT = {**settings.KIT, "WS_AUTH_TIMEOUT": 0.2}
    client = ws_client("/ws/test/echo")
    client.assert_problem(401, "unauthenticated")
    assert client.closed() == 4401


def test_an_unknown_path_closes_4404(ws_client):
    assert ws_client("/ws/nowhere").closed() == 4404


def test_send_to_user_reaches_every_connection_of_the_user(ws_client):
    from kit.realtime import send_to_user

    user = create_user(permissions=["notes:read"])
    first, second = ws_client("/ws/test/echo", user), ws_client("/ws/test/echo", user)
    other = ws_client("/ws/test/echo", permissions=["notes:read"])
    first.send({"type": "read"})
    first.receive()  # both are registered once they answered something
    second.send({"type": "read"})
    second.receive()
    send_to_user(user, "note", {"text": "hello"})
    assert first.receive()["data"] == {"text": "hello"}
    message = second.receive()
    assert (message["type"], message["data"]) == ("note", {"text": "hello"})
    assert message["meta"]["request_id"]  # the connection's, when sent outside a request
    assert other.receive_nothing()


def subscribed(ws_client, resource, user=None, **grants):
    client = ws_client("/ws/v1/events", user, **grants)
    client.send({"type": "subscribe", "resource": resource})
    assert client.receive()["type"] == "subscribed"
    return client


def test_subscribers_receive_the_detail_representation_after_each_change(ws_client, auth_client):
    client = subscribed(ws_client, "live_items", permissions=["live_items:read"])
    writer = auth_client(
        permissions=["live_items:create", "live_items:update", "live_items:delete", "live_items:read"]
    )
    created = writer.post("/realtime-test/live-items", {"name": "lamp", "count": 1}, format="json")
    assert created.status_code == 201
    event = client.receive()
    assert event["type"] == "event"
    assert event["meta"]["request_id"] == created["X-Request-ID"]
    pk = created.json()["data"]["id"]
    detail = writer.get(f"/realtime-test/live-items/{pk}").json()["data"]
    assert event["data"] == {"resource": "live_items", "action": "created", "id": pk, "object": detail}
    writer.patch(f"/realtime-test/live-items/{pk}", {"count": 2}, format="json")
    updated = client.receive()["data"]
    assert (updated["action"], updated["object"]["count"]) == ("updated", 2)
    writer.delete(f"/realtime-test/live-items/{pk}")
    deleted = client.receive()["data"]
    assert (deleted["action"], deleted["id"]) == ("deleted", pk)


def test_subscribing_needs_the_read_right_and_unsubscribing_stops_events(ws_client):
    from kit.realtime import publish

    stranger = ws_client("/ws/v1/events", permissions=["other:read"])
    stranger.send({"type": "subscribe", "resource": "live_items"})
    assert stranger.assert_problem(403, "forbidden")["detail"] == "Missing permission: live_items:read."
    stranger.send({"type": "subscribe", "resource": "no spaces"})
    stranger.assert_problem(400, "validation_error")
    client = subscribed(ws_client, "live_items", permissions=["live_items:read"])
    client.send({"type": "unsubscribe", "resource": "live_items"})
    assert client.receive()["data"] == {"resource": "live_items"}
    publish("live_items", "created", Item.objects.create(name="quiet"))
    assert client.receive_nothing()


def test_publish_from_any_code_waits_for_the_commit(ws_client):
    from django.db import transaction

    from kit.realtime import publish

    client = subscribed(ws_client, "live_items", permissions=["live_items:read"])
    with transaction.atomic():
        item = Item.objects.create(name="in a task")
        publish("live_items", "created", item)
        assert client.receive_nothing()
    event = client.receive()["data"]
    assert (event["id"], event["object"]["name"]) == (item.pk, "in a task")
    with transaction.atomic():
        publish("live_items", "updated", Item.objects.create(name="rolled back"))
        transaction.set_rollback(True)
    assert client.receive_nothing()


def test_events_follow_object_scoping(ws_client, auth_client):
    rights = ["own_items:read", "own_items:create", "own_items:update", "own_items:delete"]
    owner = auth_client(permissions=rights)
    owner_socket = subscribed(ws_client, "own_items", owner.user)
    other_socket = subscribed(ws_client, "own_items", permissions=["own_items:read"])
    auditor_socket = subscribed(ws_client, "own_items", permissions=["own_items:read", "own_items:read_all"])
    pk = owner.post("/realtime-test/own-items", {"name": "mine"}, format="json").json()["data"]["id"]
    assert owner_socket.receive()["data"]["id"] == pk
    assert auditor_socket.receive()["data"]["id"] == pk
    assert other_socket.receive_nothing()
    owner.delete(f"/realtime-test/own-items/{pk}")
    assert owner_socket.receive()["data"]["action"] == "deleted"  # its scope showed the object
    assert auditor_socket.receive()["data"]["action"] == "deleted"  # its scope is not restricted
    assert other_socket.receive_nothing()


def test_a_deleted_object_reaches_exactly_the_subscribers_whose_scope_showed_it(ws_client, auth_client):
    from kit.realtime import publish

    rights = ["own_items:read", "own_items:create", "own_items:delete"]
    owner = auth_client(permissions=rights)
    pk = owner.post("/realtime-test/own-items", {"name": "older"}, format="json").json()["data"]["id"]
    # Everyone subscribes after the creation: no connection was ever sent the object.
    owner_socket = subscribed(ws_client, "own_items", owner.user)
    second_socket = subscribed(ws_client, "own_items", owner.user)
    other_socket = subscribed(ws_client, "own_items", permissions=["own_items:read"])
    auditor_socket = subscribed(ws_client, "own_items", permissions=["own_items:read", "own_items:read_all"])
    assert owner.delete(f"/realtime-test/own-items/{pk}").status_code == 204
    for socket in (owner_socket, second_socket, auditor_socket):
        event = socket.receive()["data"]
        assert (event["action"], event["id"]) == ("deleted", pk)
    assert other_socket.receive_nothing()
    # From code, after the delete: the in-memory owner gives the audience.
    item = Item.objects.create(name="in a task", owner=owner.user)
    item_pk = item.pk
    item.delete()
    publish("own_items", "deleted", item, pk=item_pk)
    assert owner_socket.receive()["data"]["id"] == item_pk
    assert auditor_socket.receive()["data"]["id"] == item_pk
    assert other_socket.receive_nothing()


def test_events_stop_when_the_read_right_is_withdrawn(ws_client):
    from kit.authorization.models import Right
    from kit.realtime import publish

    user = create_user(rights=["live_items:read"])
    client = subscribed(ws_client, "live_items", user)
    Right.objects.filter(user=user).delete()
    publish("live_items", "created", Item.objects.create(name="secret"))
    assert client.receive_nothing()


def test_revoking_a_users_tokens_closes_their_connections_4401(ws_client):
    from kit.authentication.jwt.revocation import revoke_user_tokens

    user = create_user(permissions=["notes:read"])
    client = ws_client("/ws/test/echo", user)
    client.send({"type": "read"})
    client.receive()
    revoke_user_tokens(user.pk)
    client.assert_problem(401, "unauthenticated")
    assert client.closed() == 4401


def test_deactivating_a_user_closes_their_connections_4401(ws_client):
    user = create_user(permissions=["notes:read"])
    client = ws_client("/ws/test/echo", user)
    client.send({"type": "read"})
    client.receive()
    user.is_active = False
    user.save()
    assert client.closed() == 4401


def test_the_scope_audience_names_the_owners_and_the_unscoped_permission():
    from kit.authorization import Audience
    from tests.realtime.views import OwnItemDetail

    class ByPath(OwnItemDetail):
        owner_field = "owner__id"  # a path: read with a query

    owner = create_user(username="audience-owner")
    item = Item.objects.create(name="audience", owner=owner)
    assert OwnItemDetail().scope_audience(item) == Audience(frozenset({str(owner.pk)}), "own_items:read_all")
    assert ByPath().scope_audience(item).users == {str(owner.pk)}
    item.delete()
    assert ByPath().scope_audience(item).users == set()  # a path needs the row: taken before a delete
    assert OwnItemDetail().scope_audience(item).users == {str(owner.pk)}  # read from the instance
