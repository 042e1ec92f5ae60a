"""The ASGI application of a kit service: HTTP to Django, WebSockets under ``WS_URL_PREFIX``.

``<project>/asgi.py`` calls :func:`get_asgi_application` with the import path of the project's
``websocket_urlpatterns`` (paths relative to the prefix, e.g. ``path("v1/events", ...)``). A
WebSocket to any other path is accepted and closed with 4404, so clients see why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application as django_asgi_application
from django.urls import path, re_path
from django.utils.module_loading import import_string

from kit.conf import kit_settings

CLOSE_NOT_FOUND = 4404


class NotFoundConsumer(AsyncWebsocketConsumer):
    """Accept, then close with 4404: no consumer serves this path."""

    async def connect(self) -> None:
        await self.accept()
        await self.close(CLOSE_NOT_FOUND)


def websocket_application(websocket_urlpatterns: Sequence[Any]) -> Any:
    """The router of WebSocket connections: the project's patterns under ``WS_URL_PREFIX``."""
    prefix = str(kit_settings.WS_URL_PREFIX).strip("/")
    routes = (
        [path(f"{prefix}/", URLRouter(list(websocket_urlpatterns)))]
        if prefix
        else list(websocket_urlpatterns)
    )
    return URLRouter([*routes, re_path(r"", NotFoundConsumer.as_asgi())])


def get_asgi_application(websocket_urlpatterns: Sequence[Any] | str = ()) -> ProtocolTypeRouter:
    """HTTP served by Django (as with WSGI), WebSockets by the project's consumers.

    ``websocket_urlpatterns`` is the list, or its import path (``"myservice.routing.websocket_urlpatterns"``),
    imported once Django is set up (consumers import models).
    """
    http = django_asgi_application()  # sets Django up before the consumers are imported
    if isinstance(websocket_urlpatterns, str):
        websocket_urlpatterns = import_string(websocket_urlpatterns)
    return ProtocolTypeRouter({"http": http, "websocket": websocket_application(websocket_urlpatterns)})
