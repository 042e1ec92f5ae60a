"""Serving the ASGI application with uvicorn: ``manage.py serve --websockets`` and ``runserver``.

A graceful stop (SIGTERM, Ctrl-C) first closes every open WebSocket with 1001 (going away, so
clients reconnect to another process), then lets uvicorn finish the HTTP requests in flight.
One process serves many connections (asyncio); run more processes (containers) to scale out: the
channel layer joins them.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import threading
from typing import Any

import uvicorn
from django.conf import settings
from django.utils.module_loading import import_string

from kit.conf import kit_settings

logger = logging.getLogger("kit.realtime")


def asgi_application() -> Any:
    """The project's ASGI application (``ASGI_APPLICATION``)."""
    path = getattr(settings, "ASGI_APPLICATION", None)
    if not path:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "ASGI_APPLICATION must name the project's ASGI application to serve WebSockets."
        )
    return import_string(path)


class Server(uvicorn.Server):
    """uvicorn's server, closing the WebSockets with 1001 before it shuts down."""

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        from kit.realtime.consumer import OPEN_CONNECTIONS

        open_connections = list(OPEN_CONNECTIONS)
        if open_connections:
            logger.info(
                "Closing %d WebSocket connection(s): the server is shutting down", len(open_connections)
            )
            await asyncio.gather(
                *(consumer.going_away() for consumer in open_connections), return_exceptions=True
            )
        await super().shutdown(sockets)


def config(app: Any, host: str, port: int, **options: Any) -> uvicorn.Config:
    """uvicorn's configuration for the kit: its logging, proxies, frame size above the kit's limit.

    Frames up to four times ``WS_MAX_MESSAGE_SIZE`` reach the consumer, which answers a
    ``payload_too_large`` problem before closing with 1009 (uvicorn would close without a word).
    Compression (permessage-deflate) only with ``WS_COMPRESSION``: its zlib state costs about
    45 KiB per connection, and a frame encoded once for many connections is compressed for each.
    """
    values: dict[str, Any] = {
        "host": host,
        "port": port,
        "lifespan": "off",
        "log_config": None,  # Django's LOGGING applies
        "access_log": False,  # the kit logs requests and connections itself
        "ws_max_size": 4 * int(kit_settings.WS_MAX_MESSAGE_SIZE),
        "ws_per_message_deflate": bool(kit_settings.WS_COMPRESSION),
        "timeout_graceful_shutdown": int(kit_settings.WEB_GRACEFUL_TIMEOUT),
        "server_header": False,
        **options,
    }
    return uvicorn.Config(app, **values)


def serve(app: Any, host: str, port: int, **options: Any) -> None:
    """Serve ``app`` on ``host:port`` until SIGTERM/SIGINT; exit 0 after a graceful stop.

    (uvicorn raises the signal again once stopped; the handler in place then exits 0, as the HTTP
    server does.)
    """
    if threading.current_thread() is threading.main_thread():  # runserver serves from another thread
        signal.signal(signal.SIGTERM, _exit_stopped)
    Server(config(app, host, port, **options)).run()


def _exit_stopped(signum: int, frame: Any) -> None:
    raise SystemExit(0)
