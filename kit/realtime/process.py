"""The channel of this server process on the channel layer: what every connection of it shares.

Messages for all connections of a process reach the process once, not once per connection:

- rights changes (``kit.permissions`` to the :data:`~kit.realtime.groups.PROCESSES` group, from
  :mod:`kit.realtime.revocation`): the process forgets the user's permission set, which all its
  connections share (:mod:`kit.realtime.rights`);
- live events (``kit.event``): the process joins a resource's group when a first local connection
  subscribes (and stays in it while it runs), and hands each event with the local subscribers of
  its resource to :func:`kit.realtime.events.deliver`, which checks rights and scope and encodes
  the message once.

Both arrive on this one channel in the order they were sent, so an event published after a right
was withdrawn is checked against the new rights. The channel is drained at once into the process's
inbox (``INBOX_SIZE`` messages; more are dropped and logged), so that a slow delivery (scope
queries) does not make the layer drop messages at its channel capacity.

Through an outage of the layer (Redis stopped, or paused: a group change gets
``LAYER_ANSWER_SECONDS``) the process refuses subscriptions, waits, then joins its groups again (a
restarted Redis has forgotten them); it also joins them again every ``GROUP_REFRESH_SECONDS``, as
the layer forgets memberships after a day.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Any

from kit.realtime.groups import PROCESSES, resource_group
from kit.realtime.layer import (
    LAYER_ANSWER_SECONDS,
    LAYER_RETRY_SECONDS,
    LayerUnavailable,
    idle_receive_errors,
    layer_outage,
)
from kit.realtime.rights import forget_permissions

logger = logging.getLogger("kit.realtime")

GROUP_REFRESH_SECONDS = 3600.0
INBOX_SIZE = 10_000


class ProcessChannel:
    """The channel of this process (one event loop) on ``layer``, and its live-event subscribers."""

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        self.channel_name: str | None = None
        self.subscribers: dict[str, weakref.WeakSet[Any]] = {}
        self.available = True
        self.lock = asyncio.Lock()
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=INBOX_SIZE)
        self.tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Open the channel and join :data:`PROCESSES` (once; raises when the layer cannot be reached)."""
        if self.channel_name is not None:
            return
        async with self.lock:
            if self.channel_name is None:
                channel_name = await self.layer.new_channel()
                await self.layer.group_add(PROCESSES, channel_name)
                self.channel_name = channel_name
                self.tasks = [asyncio.ensure_future(self.receive())]
                self.tasks.append(asyncio.ensure_future(self.handle()))
                self.tasks.append(asyncio.ensure_future(self.keep_groups()))

    def stop(self) -> None:
        for task in self.tasks:
            task.cancel()

    # Live-event subscribers.
    async def subscribe(self, consumer: Any, resource: str) -> None:
        """Send ``resource``'s events to ``consumer``; raise :class:`LayerUnavailable` in an outage."""
        if not self.available:
            raise LayerUnavailable
        if resource not in self.subscribers:
            async with self.lock:
                if resource not in self.subscribers:
                    try:
                        await asyncio.wait_for(
                            self.layer.group_add(resource_group(resource), self.channel_name),
                            LAYER_ANSWER_SECONDS,
                        )
                    except Exception as error:
                        layer_outage(error)
                        raise LayerUnavailable from error
                    self.subscribers[resource] = weakref.WeakSet()
        self.subscribers[resource].add(consumer)

    def unsubscribe(self, consumer: Any, resource: str) -> None:
        members = self.subscribers.get(resource)
        if members is not None:
            members.discard(consumer)

    # Receiving.
    async def receive(self) -> None:
        assert self.channel_name is not None
        while True:
            try:
                message = await self.layer.receive(self.channel_name)
            except idle_receive_errors():  # nothing arrived, or a paused Redis: does the layer answer?
                await self.join_groups()
            except Exception as error:  # the layer is unreachable
                self.available = False
                layer_outage(error)
            else:
                try:
                    self.inbox.put_nowait(message)
                except asyncio.QueueFull:
                    logger.warning(
                        "Dropped a %s message: %d are waiting to be handled", message.get("type"), INBOX_SIZE
                    )
                continue
            while not self.available:  # join again once it answers (a restarted Redis forgot the groups)
                await asyncio.sleep(LAYER_RETRY_SECONDS)
                await self.join_groups()

    async def handle(self) -> None:
        while True:
            message = await self.inbox.get()
            try:
                await self.dispatch(message)
            except Exception:
                logger.exception("Could not handle a %s message of the channel layer", message.get("type"))

    async def dispatch(self, message: dict[str, Any]) -> None:
        if message.get("type") == "kit.permissions":
            forget_permissions(message.get("user_id"))
        elif message.get("type") == "kit.event":
            members = self.subscribers.get(message.get("resource", ""))
            if members:
                from kit.realtime.events import deliver  # events builds on this module

                await deliver(message, list(members))

    async def join_groups(self) -> None:
        """Join the process's groups again; ``available`` tells whether the layer answered."""
        try:
            for group in [PROCESSES, *map(resource_group, list(self.subscribers))]:
                await asyncio.wait_for(self.layer.group_add(group, self.channel_name), LAYER_ANSWER_SECONDS)
        except Exception as error:
            layer_outage(error)
            self.available = False
        else:
            self.available = True

    async def keep_groups(self) -> None:
        while True:
            await asyncio.sleep(GROUP_REFRESH_SECONDS)
            await self.join_groups()


_by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, ProcessChannel] = weakref.WeakKeyDictionary()


def process_channel(layer: Any) -> ProcessChannel:
    """The :class:`ProcessChannel` of the running event loop on ``layer`` (made on first use)."""
    loop = asyncio.get_running_loop()
    current = _by_loop.get(loop)
    if current is None or current.layer is not layer:
        if current is not None:  # the settings changed the layer (tests)
            current.stop()
        current = _by_loop[loop] = ProcessChannel(layer)
    return current
