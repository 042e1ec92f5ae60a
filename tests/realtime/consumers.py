"""Consumers of the realtime tests."""

from typing import Any

from rest_framework import serializers

from kit.errors import Problem
from kit.realtime import Consumer, handles, require_permission


class EchoMessage(serializers.Serializer):
    text = serializers.CharField(max_length=100)
    times = serializers.IntegerField(min_value=1, max_value=3, default=1)


class EchoConsumer(Consumer):
    """Echo text back; ``notes:read`` for notes, ``notes:delete`` for purges."""

    resource = "notes"
    message_rate = "10/minute"

    @handles("echo", serializer=EchoMessage)
    async def echo(self, data: dict[str, Any]) -> None:
        await self.send_message("echoed", {"text": data["text"] * data["times"]})

    @handles("read", operation="read")
    async def read(self, data: dict[str, Any]) -> None:
        await self.send_message("notes", [])

    @handles("purge")
    @require_permission("notes:purge")
    def purge(self, data: dict[str, Any]) -> None:
        raise Problem(409, "conflict", "Nothing to purge.")

    @handles("count", operation="read")
    def count(self, data: dict[str, Any]) -> None:
        from asgiref.sync import async_to_sync

        from tests.example.models import Item

        async_to_sync(self.send_message)("counted", {"items": Item.objects.count()})

    @handles("crash")
    async def crash(self, data: dict[str, Any]) -> None:
        raise RuntimeError("the handler failed")


class PublicConsumer(Consumer):
    authentication_required = False

    @handles("ping")
    async def ping(self, data: dict[str, Any]) -> None:
        await self.send_message("pong", {"user": self.user_label})


class FloodMessage(serializers.Serializer):
    frames = serializers.IntegerField(min_value=1, max_value=1000)


class FloodConsumer(Consumer):
    """Sends ``frames`` frames of 60 KB at once (the slow-reader test)."""

    authentication_required = False
    message_rate = None

    @handles("flood", serializer=FloodMessage)
    async def flood(self, data: dict[str, Any]) -> None:
        for _ in range(data["frames"]):
            await self.send_message("chunk", "x" * 60_000)
