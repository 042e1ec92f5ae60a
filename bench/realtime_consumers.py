"""WebSocket routes of the benchmarks: the live events, a ping needing ``items:read``, and a
``publish`` that creates an item and answers the time of its commit (the broadcast's start)."""

import time
from typing import Any

from channels.db import database_sync_to_async
from django.db import transaction
from django.urls import path

from kit.realtime import Consumer, EventsConsumer, handles, publish
from tests.example.models import Item


class PingConsumer(Consumer):
    """``ping`` answers ``pong``; each message checks the user's ``items:read`` (the rights cache)."""

    resource = "items"

    @handles("ping", operation="read")
    async def ping(self, data: dict[str, Any]) -> None:
        await self.send_message("pong", None)


def create_and_publish() -> float:
    """Create an item and publish its ``created`` event; the ``time.monotonic()`` of the commit."""
    committed: list[float] = []
    with transaction.atomic():
        item = Item.objects.create(name=f"published {time.time_ns()}", count=1)
        transaction.on_commit(lambda: committed.append(time.monotonic()))  # runs before publish's
        publish("items", "created", item)
    return committed[0]


class PublishConsumer(Consumer):
    """``publish`` creates an item, publishes its event and answers ``published`` with the commit's time."""

    message_rate = None

    @handles("publish")
    async def publish(self, data: dict[str, Any]) -> None:
        committed = await database_sync_to_async(create_and_publish)()
        await self.send_message("published", {"committed": committed})


websocket_urlpatterns = [
    path("v1/events", EventsConsumer.as_asgi()),
    path("ping", PingConsumer.as_asgi()),
    path("publish", PublishConsumer.as_asgi()),
]
