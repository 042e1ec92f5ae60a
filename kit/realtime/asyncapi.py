"""The AsyncAPI 3.0 document of the project's WebSocket routes, built from their consumers.

Each route of the ASGI application's ``websocket`` router (``websocket_urlpatterns`` under
``WS_URL_PREFIX``) served by a :class:`~kit.realtime.Consumer` becomes a channel. Its messages:

- from the client: one per handled ``type`` (:func:`~kit.realtime.handles`), its payload the
  handler's serializer turned into JSON Schema by drf-spectacular (as the OpenAPI document does),
  plus ``authenticate`` when the consumer needs a user;
- from the server: the envelope ``{"type", "data", "meta": {"request_id"}}``, ``event`` on an
  :class:`~kit.realtime.EventsConsumer`, and ``error`` with the HTTP API's problem body.

Operations are written from the service's side: it ``receive``s client messages and ``send``s the
others. The security schemes are the API's: Bearer JWT, ``X-API-Key`` and the JWT cookie.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.urls.resolvers import RoutePattern
from drf_spectacular.plumbing import ComponentRegistry
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from kit.authentication.jwt import cookies
from kit.conf import kit_settings
from kit.health.status import service_name, service_version
from kit.openapi.components import FIELD_ERROR, META, PROBLEM, Schema
from kit.openapi.generators import UNKNOWN_VERSION
from kit.openapi.schema import AutoSchema
from kit.realtime.consumer import Consumer
from kit.realtime.events import EventsConsumer
from kit.realtime.handlers import handler_spec, message_handlers
from kit.realtime.server import asgi_application

ASYNCAPI_VERSION = "3.0.0"
NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")

SERVER_MESSAGE: Schema = {
    "type": "object",
    "description": "A message of the service: `type` names it, `data` holds its content.",
    "properties": {
        "type": {"type": "string"},
        "data": {},
        "meta": {"$ref": "#/components/schemas/Meta"},
    },
    "required": ["type", "data", "meta"],
}
EVENT_DATA: Schema = {
    "type": "object",
    "properties": {
        "resource": {"type": "string"},
        "action": {"type": "string", "enum": ["created", "updated", "deleted"]},
        "id": {"description": "The primary key of the object."},
        "object": {"description": "The object as the REST detail view gives it (null when deleted)."},
    },
    "required": ["resource", "action", "id", "object"],
}
AUTHENTICATE: Schema = {
    "type": "object",
    "description": "The first message of a connection without credentials in its handshake.",
    "properties": {
        "type": {"const": "authenticate"},
        "token": {"type": "string", "description": "A JWT access token."},
        "api_key": {"type": "string", "description": "An API key."},
    },
    "required": ["type"],
}
VALIDATION_PROBLEM: Schema = {
    "allOf": [
        {"$ref": "#/components/schemas/Problem"},
        {
            "type": "object",
            "properties": {"errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}}},
        },
    ]
}
ERROR: Schema = {
    "type": "object",
    "description": "A refused message or connection: the RFC 9457 body the HTTP API answers.",
    "properties": {"type": {"const": "error"}, "problem": {"$ref": "#/components/schemas/ValidationProblem"}},
    "required": ["type", "problem"],
}


def websocket_routes(application: Any = None) -> Iterator[tuple[str, type[Consumer]]]:
    """(address, consumer class) of each route of the ASGI application served by a kit consumer."""
    application = application if application is not None else asgi_application()
    router = getattr(application, "application_mapping", {}).get("websocket")
    yield from _routes(router, "/")


def _routes(router: Any, prefix: str) -> Iterator[tuple[str, type[Consumer]]]:
    while router is not None and not hasattr(router, "routes") and hasattr(router, "inner"):
        router = router.inner  # middleware around the router
    for route in getattr(router, "routes", ()):
        pattern = route.pattern
        text = str(pattern) if isinstance(pattern, RoutePattern) else str(pattern).lstrip("^").rstrip("$")
        address = prefix + ROUTE_PARAMETER.sub(r"{\1}", text)
        if hasattr(route.callback, "routes"):
            yield from _routes(route.callback, address)
            continue
        consumer = getattr(route.callback, "consumer_class", None)
        if isinstance(consumer, type) and issubclass(consumer, Consumer):
            yield address, consumer


def security_schemes() -> dict[str, Schema]:
    """The credentials a connection may present, as on the HTTP API."""
    schemes: dict[str, Schema] = {
        "jwtAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        "apiKeyHeader": {"type": "httpApiKey", "in": "header", "name": "X-API-Key"},
    }
    if cookies.cookies_enabled():
        schemes["jwtCookieAuth"] = {
            "type": "httpApiKey",
            "in": "cookie",
            "name": kit_settings.JWT_COOKIE_NAME,
            "description": "The JWT cookie, from an allowed `Origin` only.",
        }
    return schemes


class DocumentBuilder:
    """Builds the document; payload serializers become ``components.schemas`` via drf-spectacular."""

    def __init__(self, info: dict[str, Any]) -> None:
        self.info = info
        self.registry = ComponentRegistry()
        self.auto_schema = AutoSchema()
        self.auto_schema.registry = self.registry
        self.auto_schema.method = "POST"
        self.auto_schema.path = ""
        self.auto_schema.view = APIView(request=None)  # serializers get a view's context, no request
        self.messages: dict[str, Schema] = {}
        self.channels: dict[str, Schema] = {}
        self.operations: dict[str, Schema] = {}

    def build(self, routes: Iterator[tuple[str, type[Consumer]]]) -> dict[str, Any]:
        for address, consumer in routes:
            self.add_channel(address, consumer)
        schemas = self.registry.build({}).get("schemas", {})
        schemas.update(
            Meta=META, Problem=PROBLEM, FieldError=FIELD_ERROR, ValidationProblem=VALIDATION_PROBLEM
        )
        return {
            "asyncapi": ASYNCAPI_VERSION,
            "info": self.info,
            "defaultContentType": "application/json",
            "channels": self.channels,
            "operations": self.operations,
            "components": {
                "schemas": dict(sorted(schemas.items())),
                "messages": self.messages,
                "securitySchemes": security_schemes(),
            },
        }

    def add_channel(self, address: str, consumer: type[Consumer]) -> None:
        channel_id = NAME_UNSAFE.sub("_", address).strip("_") or "root"
        client: dict[str, Schema] = {}
        for message_type, handler in sorted(message_handlers(consumer).items()):
            client[message_type] = self.client_message(consumer, message_type, handler)
        if consumer.authentication_required:
            client["authenticate"] = self.message_ref(
                "authenticate", AUTHENTICATE, "Authenticate the connection."
            )
        server = {"message": self.message_ref("message", SERVER_MESSAGE, "A reply or a pushed message.")}
        if issubclass(consumer, EventsConsumer):
            server["event"] = self.message_ref(
                "event", self.event_payload(), "A change of a subscribed resource."
            )
        server["error"] = self.message_ref("error", ERROR, "A problem.")
        names = {f"receive.{NAME_UNSAFE.sub('_', name)}": message for name, message in client.items()}
        names.update({f"send.{name}": message for name, message in server.items()})
        parameters = {
            name: {"description": f"The `{name}` of the route."} for name in re.findall(r"{(\w+)}", address)
        }
        channel: Schema = {"address": address, "messages": names}
        if consumer.__doc__:
            channel["description"] = consumer.__doc__.strip().replace("``", "`")
        if parameters:
            channel["parameters"] = parameters
        self.channels[channel_id] = channel
        security = [{"$ref": f"#/components/securitySchemes/{name}"} for name in security_schemes()]
        for name in names:
            action = name.partition(".")[0]
            operation: Schema = {
                "action": action,
                "channel": {"$ref": f"#/channels/{channel_id}"},
                "messages": [{"$ref": f"#/channels/{channel_id}/messages/{name}"}],
            }
            if action == "receive" and consumer.authentication_required:
                operation["security"] = security
            self.operations[f"{channel_id}.{name}"] = operation

    def client_message(self, consumer: type[Consumer], message_type: str, handler: Any) -> Schema:
        spec = handler_spec(handler)
        payload: Schema = {
            "type": "object",
            "properties": {"type": {"const": message_type}},
            "required": ["type"],
        }
        if spec.serializer is not None:
            payload = {"allOf": [payload, self.serializer_schema(spec.serializer)]}
        message: Schema = {"name": message_type, "payload": payload}
        if spec.summary:
            message["summary"] = spec.summary
        if spec.operation and consumer.resource:
            message["description"] = f"Requires `{consumer.resource}:{spec.operation}`."
        name = NAME_UNSAFE.sub("_", f"{consumer.__name__}.{message_type}")
        self.messages[name] = message
        return {"$ref": f"#/components/messages/{name}"}

    def serializer_schema(self, serializer: type[BaseSerializer]) -> Schema:
        # drf-spectacular maps any serializer class (its annotations name Serializer only)
        component = self.auto_schema.resolve_serializer(serializer, "request")  # type: ignore[arg-type]
        return component.ref if component.name else component.schema

    def event_payload(self) -> Schema:
        envelope = {"type": "object", "properties": {"type": {"const": "event"}, "data": EVENT_DATA}}
        return {"allOf": [SERVER_MESSAGE, envelope]}

    def message_ref(self, name: str, payload: Schema, summary: str) -> Schema:
        self.messages.setdefault(name, {"name": name, "summary": summary, "payload": payload})
        return {"$ref": f"#/components/messages/{name}"}


def asyncapi_document(application: Any = None) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of the WebSocket routes of ``application`` (default ``ASGI_APPLICATION``).

    ``info`` names the service as the OpenAPI document does (``SERVICE_NAME``, its version).
    """
    name = service_name()
    info = {"title": f"{name} WebSockets", "version": service_version(name) or UNKNOWN_VERSION}
    return DocumentBuilder(info).build(websocket_routes(application))
