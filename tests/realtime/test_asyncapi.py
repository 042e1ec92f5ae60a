"""The AsyncAPI 3.0 document of the WebSocket routes at /api/asyncapi.json, gated like the OpenAPI schema."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from jsonschema import Draft7Validator

pytestmark = pytest.mark.django_db

URL = "/api/asyncapi.json"
KEY = re.compile(r"[a-zA-Z0-9.\-_]+")


def resolve(document, ref):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        assert isinstance(node, dict) and part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def message(document, channel, name):
    return resolve(document, document["channels"][channel]["messages"][name]["$ref"])


@pytest.fixture
def document(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_the_document_is_structurally_valid_asyncapi_3(document):
    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"] and document["info"]["version"]
    for ref in refs(document):
        resolve(document, ref)
    components = document["components"]
    keyed = [document["channels"], document["operations"], *components.values()]
    keyed += [channel["messages"] for channel in document["channels"].values()]
    for mapping in keyed:
        assert all(KEY.fullmatch(key) for key in mapping), list(mapping)  # the specification's key pattern
    for channel in document["channels"].values():
        assert channel["address"].startswith("/ws/")
        assert channel["messages"]
    for operation in document["operations"].values():
        assert operation["action"] in {"send", "receive"}
        channel_ref = operation["channel"]["$ref"]
        assert channel_ref.startswith("#/channels/")
        for message_ref in operation["messages"]:
            assert message_ref["$ref"].startswith(channel_ref + "/messages/")
    for name, component in document["components"]["messages"].items():
        Draft7Validator.check_schema(component["payload"])
    for schema in document["components"]["schemas"].values():
        Draft7Validator.check_schema(schema)


def test_every_consumer_route_is_a_channel_with_its_handled_types(document):
    channels = {channel["address"]: sorted(channel["messages"]) for channel in document["channels"].values()}
    assert channels == {
        "/ws/v1/events": [
            "receive.authenticate",
            "receive.subscribe",
            "receive.unsubscribe",
            "send.error",
            "send.event",
            "send.message",
        ],
        "/ws/test/echo": [
            "receive.authenticate",
            "receive.count",
            "receive.crash",
            "receive.echo",
            "receive.purge",
            "receive.read",
            "send.error",
            "send.message",
        ],
        "/ws/test/public": ["receive.ping", "send.error", "send.message"],
        "/ws/test/flood": ["receive.flood", "send.error", "send.message"],
    }
    actions = {name: operation["action"] for name, operation in document["operations"].items()}
    assert actions["ws_test_echo.receive.echo"] == "receive"
    assert actions["ws_v1_events.send.event"] == "send"
    assert len(actions) == sum(len(messages) for messages in channels.values())


def test_client_payloads_come_from_the_handlers_serializers(document):
    echo = message(document, "ws_test_echo", "receive.echo")
    type_schema, serializer_ref = echo["payload"]["allOf"]
    assert type_schema["properties"]["type"] == {"const": "echo"}
    serializer = resolve(document, serializer_ref["$ref"])
    assert serializer["properties"]["text"] == {"type": "string", "minLength": 1, "maxLength": 100}
    assert serializer["properties"]["times"]["maximum"] == 3
    assert serializer["required"] == ["text"]
    validator = Draft7Validator({**echo["payload"], "components": document["components"]})
    assert validator.is_valid({"type": "echo", "text": "hi", "times": 2})
    assert not validator.is_valid({"type": "echo", "times": 2})
    assert not validator.is_valid({"type": "shout", "text": "hi"})

    read = message(document, "ws_test_echo", "receive.read")
    assert read["description"] == "Requires `notes:read`."
    subscribe = message(document, "ws_v1_events", "receive.subscribe")
    assert subscribe["summary"] == "Receive the events of a resource."


def test_server_messages_are_the_envelope_events_and_problems(document):
    envelope = message(document, "ws_test_echo", "send.message")["payload"]
    assert envelope["required"] == ["type", "data", "meta"]
    assert resolve(document, envelope["properties"]["meta"]["$ref"])["required"] == ["request_id"]
    event = message(document, "ws_v1_events", "send.event")["payload"]
    data = event["allOf"][1]["properties"]["data"]
    assert data["properties"]["action"]["enum"] == ["created", "updated", "deleted"]
    error = message(document, "ws_test_public", "send.error")["payload"]
    problem = resolve(document, error["properties"]["problem"]["$ref"])
    required = resolve(document, problem["allOf"][0]["$ref"])["required"]
    assert required == ["type", "title", "status", "detail", "code"]


def test_connections_needing_a_user_list_the_api_credentials(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["jwtAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert schemes["apiKeyHeader"] == {"type": "httpApiKey", "in": "header", "name": "X-API-Key"}
    secured = document["operations"]["ws_test_echo.receive.echo"]["security"]
    assert {"$ref": "#/components/securitySchemes/jwtAuth"} in secured
    assert "security" not in document["operations"]["ws_test_public.receive.ping"]


def test_the_jwt_cookie_is_a_scheme_when_cookies_are_on(client):
    with override_settings(KIT={"JWT_COOKIE_NAME": "access"}):
        schemes = client.get(URL).json()["components"]["securitySchemes"]
    assert schemes["jwtCookieAuth"]["in"] == "cookie"
    assert schemes["jwtCookieAuth"]["name"] == "access"


def test_the_document_is_gated_like_the_openapi_schema(client):
    with override_settings(KIT={"API_DOCS_ENABLED": False}):
        assert client.get(URL).status_code == 404
    with override_settings(ASGI_APPLICATION=None):
        assert client.get(URL).status_code == 404  # WebSockets are not served
    member = get_user_model().objects.create_user("member", password="pw")
    staff = get_user_model().objects.create_user("admin", password="pw", is_staff=True)
    with override_settings(KIT={"API_DOCS_PERMISSION": "rest_framework.permissions.IsAdminUser"}):
        response = client.get(URL)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
        client.force_login(member)
        assert client.get(URL).status_code == 403
        client.force_login(staff)
        assert client.get(URL).status_code == 200


def test_route_parameters_and_middleware_wrapped_routers_are_followed():
    from channels.auth import AuthMiddlewareStack
    from channels.routing import ProtocolTypeRouter
    from django.urls import path, re_path

    from kit.realtime.asyncapi import asyncapi_document
    from kit.realtime.routing import websocket_application
    from tests.realtime.consumers import EchoConsumer, PublicConsumer

    routes = [path("rooms/<int:pk>", EchoConsumer.as_asgi()), re_path(r"^lobby$", PublicConsumer.as_asgi())]
    application = ProtocolTypeRouter({"websocket": AuthMiddlewareStack(websocket_application(routes))})

    channels = asyncapi_document(application)["channels"]

    assert channels["ws_rooms_pk"]["address"] == "/ws/rooms/{pk}"
    assert list(channels["ws_rooms_pk"]["parameters"]) == ["pk"]
    assert channels["ws_lobby"]["address"] == "/ws/lobby"
    assert len(channels) == 2  # the 4404 catch-all serves no kit consumer


def test_the_openapi_document_leaves_the_asyncapi_url_out(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert URL not in paths
