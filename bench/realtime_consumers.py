"""WebSocket routes of the benchmarks: the live events, and a ping needing ``items:read``."""

from typing import Any

from django.urls import path

from kit.realtime import Consumer, EventsConsumer, handles


class PingConsumer(Consumer):
    """``ping`` answers ``pong``; each message checks the user's ``items:read`` (the rights cache)."""

    resource = "items"

    @handles("ping", operation="read")
    async def ping(self, data: dict[str, Any]) -> None:
        await self.send_message("pong", None)


websocket_urlpatterns = [
    path("v1/events", EventsConsumer.as_asgi()),
    path("ping", PingConsumer.as_asgi()),
]
