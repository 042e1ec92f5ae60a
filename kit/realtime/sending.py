"""Send messages to WebSocket clients from anywhere: views, tasks, the shell (sync or async).

``send_to_user(user, "note", {...})`` reaches every open connection of the user, on every server
process (through the channel layer); ``send_to_group(name, ...)`` every connection that joined
``name`` (``Consumer.join``). Clients receive ``{"type": ..., "data": ..., "meta": {"request_id"}}``.
A message sent inside a transaction can wait for the commit: ``transaction.on_commit(lambda:
send_to_user(...))``. When the channel layer cannot be reached the message is lost and logged
(the caller's request or task goes on).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

from kit.realtime.groups import user_group
from kit.request_id import get_request_id

logger = logging.getLogger("kit.realtime")

SEND_TIMEOUT = 5.0
MEMORY_LAYER_LOOPS: weakref.WeakKeyDictionary[Any, asyncio.AbstractEventLoop] = weakref.WeakKeyDictionary()


def send_to_user(user: Any, message_type: str, data: Any = None) -> None:
    """Send a message to every connection of ``user`` (a user or its primary key)."""
    pk = getattr(user, "pk", user)
    send_to_group(user_group(pk), message_type, data)


def send_to_group(group: str, message_type: str, data: Any = None) -> None:
    """Send a message to every connection in ``group``."""
    event = {
        "type": "kit.message",
        "message_type": message_type,
        "data": data,
        "request_id": get_request_id(),
    }
    group_send(group, event)


def group_send(group: str, event: dict[str, Any]) -> None:
    """Send a channel-layer event to ``group`` from sync or async code; log (not raise) failures."""
    layer = get_channel_layer()
    if layer is None:
        return
    home = MEMORY_LAYER_LOOPS.get(layer)
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is not None and home in (None, running):
        _in_background(_logged(layer.group_send(group, event), group))
        return
    try:
        if home is not None and home.is_running():
            asyncio.run_coroutine_threadsafe(layer.group_send(group, event), home).result(SEND_TIMEOUT)
        else:
            async_to_sync(layer.group_send)(group, event)
    except Exception:
        logger.exception("Could not send to WebSocket group %s", group)


def remember_memory_layer_loop(layer: Any) -> None:
    """Record the event loop the in-memory layer serves (called by consumers as they connect).

    The in-memory layer's queues belong to that loop: a send from another thread (a test, a
    thread of the development server) must run there.
    """
    if isinstance(layer, InMemoryChannelLayer) and layer not in MEMORY_LAYER_LOOPS:
        MEMORY_LAYER_LOOPS[layer] = asyncio.get_running_loop()


async def _logged(sending: Awaitable[None], group: str) -> None:
    try:
        await sending
    except Exception:
        logger.exception("Could not send to WebSocket group %s", group)


_tasks: set[asyncio.Task[None]] = set()


def _in_background(coroutine: Any) -> None:
    task = asyncio.ensure_future(coroutine)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
