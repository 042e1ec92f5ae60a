"""The ``CHANNEL_LAYERS`` setting (Django Channels) from ``CHANNEL_LAYER_URL``.

The channel layer carries WebSocket messages between server processes (:mod:`kit.realtime`):
Redis (channels-redis) in production, so that an event published by one process reaches the
clients of every other; in memory when no Redis is configured (one process, development only; the
system check ``kit.W040`` warns outside DEBUG). ``CHANNEL_LAYER_URL`` defaults to ``REDIS_URL``
when Redis is configured (``REDIS_URL`` set to something else than the default, or
``TASKS_BACKEND=rq``); ``memory://`` asks for the in-memory layer explicitly.
"""

from __future__ import annotations

from typing import Any

from kit.conf.tasks import DEFAULT_REDIS_URL

MEMORY_LAYER = {"BACKEND": "channels.layers.InMemoryChannelLayer"}
REDIS_LAYER_BACKEND = "channels_redis.core.RedisChannelLayer"


def channel_layer_url(settings: dict[str, Any]) -> str:
    """The URL of the channel layer: ``CHANNEL_LAYER_URL``, else ``REDIS_URL`` when Redis is used."""
    configured = settings.get("CHANNEL_LAYER_URL")
    if configured:
        return str(configured)
    redis_url = settings.get("REDIS_URL")
    uses_redis = settings.get("TASKS_BACKEND") == "rq" or (redis_url and redis_url != DEFAULT_REDIS_URL)
    return str(redis_url) if uses_redis else "memory://"


def channel_layers(url: str, *, prefix: str = "asgi") -> dict[str, Any]:
    """``CHANNEL_LAYERS`` for a layer URL (``redis://``, ``rediss://``, ``unix://`` or ``memory://``).

    ``prefix`` starts every Redis key of the layer, so services (and test runs) sharing one Redis
    keep their groups apart.
    """
    if url.startswith("memory://"):
        return {"default": dict(MEMORY_LAYER)}
    return {"default": {"BACKEND": REDIS_LAYER_BACKEND, "CONFIG": {"hosts": [url], "prefix": prefix}}}


def apply_channel_layer_settings(settings: dict[str, Any]) -> None:
    """Write ``CHANNEL_LAYERS`` unless settings.py configures it itself."""
    if settings.get("CHANNEL_LAYERS"):
        return
    name = (settings.get("KIT") or {}).get("SERVICE_NAME") or "service"
    namespace = settings.get("CACHE_NAMESPACE")
    prefix = ":".join(part for part in (namespace, name, "asgi") if part)
    settings["CHANNEL_LAYERS"] = channel_layers(channel_layer_url(settings), prefix=prefix)
