"""``kit.realtime.Consumer``: the base class of the kit's WebSocket consumers (Django Channels).

A consumer accepts the socket, authenticates it the way the HTTP API does
(:mod:`kit.realtime.handshake`: headers, the JWT cookie from an allowed ``Origin``, or an
``{"type": "authenticate", ...}`` first message within ``WS_AUTH_TIMEOUT``), then serves JSON
messages: each ``type`` goes to the method decorated with :func:`~kit.realtime.handlers.handles`,
after the size limit, the throttle, the requirements (:mod:`kit.realtime.handlers`) and the
payload serializer. Every error is answered ``{"type": "error", "problem": {...}}`` with the HTTP
API's problem body. Close codes: 4401 (no or invalid credentials, revoked later), 4403 (the
connection's requirement is not met), 1009 (message too large), 1008 (the client does not read:
a frame not taken within ``WS_SEND_TIMEOUT``), 1011 (the channel layer is unreachable at connect).

Each connection joins its user's group on the channel layer: :func:`kit.realtime.send_to_user`
reaches it there, and so does the close ordered when the user's tokens are revoked or the user is
deactivated (:mod:`kit.realtime.revocation`), from any process. Frames encoded once for many
connections (live events, :mod:`kit.realtime.subscribers`) are handed to :meth:`Consumer.push_frame`.

A connection keeps little: its ASGI scope (the handshake's request is rebuilt from it when a
handler, an error or an ``authenticate`` message needs one), its identity, its groups; its user's
permission set is shared with the user's other connections (:mod:`kit.realtime.rights`).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import sys
import time
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, NoReturn

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.http import HttpRequest
from rest_framework.exceptions import APIException, NotAuthenticated, PermissionDenied, Throttled
from rest_framework.throttling import SimpleRateThrottle

from kit.authorization.permission_set import PermissionSet
from kit.authorization.requirements import PermissionNotMet, Permissions, as_permissions
from kit.conf import kit_settings
from kit.realtime import metrics
from kit.realtime.groups import user_group
from kit.realtime.handlers import handler_spec, message_handlers, required_permissions
from kit.realtime.handshake import ANONYMOUS, Identity, authenticate, credentials_request, scope_request
from kit.realtime.layer import LAYER_RETRY_SECONDS, LayerUnavailable, idle_receive_errors, layer_outage
from kit.realtime.messages import (
    InvalidMessage,
    MessageTooLarge,
    error_message,
    parse_message,
    server_message,
)
from kit.realtime.process import process_channel
from kit.realtime.rights import held_permissions, load_permissions
from kit.realtime.sending import remember_memory_layer_loop
from kit.request_id import VALID_REQUEST_ID, request_id_var

logger = logging.getLogger("kit.realtime")

OPEN_CONNECTIONS: weakref.WeakSet[Consumer] = weakref.WeakSet()
"""The connections this process serves (closed with 1001 on a graceful shutdown)."""

CLOSE_GOING_AWAY = 1001
CLOSE_POLICY_VIOLATION = 1008
CLOSE_MESSAGE_TOO_BIG = 1009
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_INTERNAL_ERROR = 1011
CLOSE_TIMEOUT = 1.0
FRAMES_QUEUED = 100  # pushed frames waiting behind one the client has not taken yet; more are dropped
KIT_DEFAULT = "KIT"  # message_rate: the KIT option WS_MESSAGE_RATE


class Consumer(AsyncWebsocketConsumer):
    """A JSON WebSocket endpoint with the HTTP API's authentication, rights and problems.

    Class attributes:

    - ``authentication_required`` (default True): anonymous connections are closed with 4401;
    - ``permissions`` / ``resource``: the requirements, as on views (checked on connect when
      ``permissions`` is set, and for every message, see :mod:`kit.realtime.handlers`);
    - ``authentication_classes``: DRF authentication classes (default: ``REST_FRAMEWORK``'s);
    - ``message_rate``: messages a connection may send (``"120/minute"``; default
      ``KIT["WS_MESSAGE_RATE"]``; None: no limit), beyond which it is answered ``throttled``.

    Hooks: :meth:`on_authenticated` (join groups), :meth:`on_disconnected`.
    """

    authentication_required: ClassVar[bool] = True
    permissions: ClassVar[Any] = None
    resource: ClassVar[str | None] = None
    authentication_classes: ClassVar[list[Any] | None] = None
    message_rate: ClassVar[str | None] = KIT_DEFAULT

    identity: Identity
    path: str
    request_id: str

    # Connection lifecycle.
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Serve the connection; stop quietly when a frame writer dropped it (:meth:`write_frames`)."""
        self.serving = asyncio.current_task()
        self.ended = False
        try:
            await super().__call__(scope, receive, send)
        except asyncio.CancelledError:
            if not self.ended or self.serving is None:
                raise
            self.serving.uncancel()

    async def connect(self) -> None:
        handshake = scope_request(self.scope)
        self.path, self.request_id = handshake.path, handshake.request_id  # type: ignore[attr-defined]
        self.identity = ANONYMOUS
        self.groups: list[str] = []
        self.message_times: deque[float] | None = None
        self.frames: deque[str] | None = None
        self.frame_timer: asyncio.TimerHandle | None = None
        self.frame_late = False
        self.auth_timer: asyncio.TimerHandle | None = None
        self.closing = False
        self.close_code: int | None = None
        await self.accept()
        remember_memory_layer_loop(self.channel_layer)
        OPEN_CONNECTIONS.add(self)
        metrics.connection_opened(type(self).__name__)
        try:
            identity = await database_sync_to_async(authenticate)(handshake, self.authentication_classes)
        except APIException as exc:
            await self.refuse(exc, CLOSE_UNAUTHENTICATED)
            return
        if identity.is_authenticated:
            await self.authenticated(identity)
        elif self.authentication_required:
            loop = asyncio.get_running_loop()
            self.auth_timer = loop.call_later(float(kit_settings.WS_AUTH_TIMEOUT), self.auth_timed_out)
        else:
            self.log_open()

    def auth_timed_out(self) -> None:
        if not self.identity.is_authenticated and not self.closing:
            exc = NotAuthenticated("No credentials were given in time.")
            self.auth_refusal = asyncio.ensure_future(self.refuse(exc, CLOSE_UNAUTHENTICATED))

    async def authenticated(self, identity: Identity) -> None:
        """The connection acts as ``identity`` from now on: check its requirement, join its group."""
        if self.auth_timer is not None:
            self.auth_timer.cancel()
        self.identity = identity
        required = as_permissions(self.permissions)
        if required is not None and not await self.holds(required):
            await self.refuse(PermissionDenied(f"Missing permission: {required}."), CLOSE_FORBIDDEN)
            return
        try:
            if self.channel_layer is not None:
                await process_channel(self.channel_layer).start()
            await self.join(user_group(identity.user.pk))
        except Exception as error:  # without its group, a revocation could not close it
            layer_outage(error)
            await self.refuse(LayerUnavailable(), CLOSE_INTERNAL_ERROR)
            return
        self.log_open()
        await self.on_authenticated()

    async def on_authenticated(self) -> None:
        """Hook: the connection is authenticated (join groups, send a greeting...)."""

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        await self.end(message.get("code", 1005))

    async def end(self, code: int) -> NoReturn:
        """Leave the groups (an unreachable layer forgets them on expiry), :meth:`disconnect`, stop."""
        if self.ended:
            raise StopConsumer
        self.ended = True
        for group in list(self.groups):
            try:
                await self.leave(group)
            except Exception as error:  # the layer is unreachable
                layer_outage(error)
        await self.disconnect(code)
        raise StopConsumer

    async def disconnect(self, code: int) -> None:
        self.closing = True
        OPEN_CONNECTIONS.discard(self)
        if self.auth_timer is not None:
            self.auth_timer.cancel()
        await self.on_disconnected(code)
        close_code = self.close_code or code
        metrics.connection_closed(type(self).__name__, close_code)
        logger.info(
            "WebSocket closed %s (user %s, code %s)",
            self.path,
            self.user_label,
            close_code,
            extra={"request_id": self.request_id},
        )

    async def on_disconnected(self, code: int) -> None:
        """Hook: the connection is closed."""

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        self.closing = True
        if isinstance(code, int) and not isinstance(code, bool):
            self.close_code = code
        await super().close(code=code, reason=reason)

    async def going_away(self) -> None:
        """Close with 1001: the server is shutting down (the client should reconnect elsewhere)."""
        if not self.closing:
            await self.close(CLOSE_GOING_AWAY)

    async def refuse(self, exc: BaseException, code: int) -> None:
        """Answer ``exc`` as an error message, then close with ``code``."""
        if self.closing:
            return
        await self.send_error(exc)
        await self.close(code)

    def log_open(self) -> None:
        logger.info(
            "WebSocket opened %s (user %s)",
            self.path,
            self.user_label,
            extra={"request_id": self.request_id},
        )

    @property
    def user_label(self) -> str:
        user = self.identity.user
        return str(user.pk) if self.identity.is_authenticated else "-"

    @property
    def request(self) -> HttpRequest:
        """The handshake's request as the connection's user (built anew: connections do not keep it)."""
        request = scope_request(self.scope)
        request.request_id = self.request_id  # type: ignore[attr-defined]
        request.user = self.identity.user
        return request

    # The channel layer.
    @property
    def channel_receive(self) -> Callable[[], Awaitable[dict[str, Any]]]:
        """What Channels awaits for messages of the layer: :meth:`receive_from_layer`."""
        return self.receive_from_layer

    @channel_receive.setter
    def channel_receive(self, receive: Callable[[], Awaitable[dict[str, Any]]]) -> None:
        self.layer_receive = receive

    async def receive_from_layer(self) -> dict[str, Any]:
        """The next layer message; through an outage of the layer (Redis), wait and join again.

        The connection stays open meanwhile (it misses what is sent during the outage); once the
        layer answers, it joins its groups again (a restarted Redis has forgotten them).
        """
        while True:
            try:
                return await self.layer_receive()
            except idle_receive_errors():  # nothing arrived within the layer's blocking read
                continue
            except Exception as error:  # the layer is unreachable
                layer_outage(error)
            await self.join_again()

    async def join_again(self) -> None:
        """Join the connection's groups again, once the layer answers."""
        while True:
            await asyncio.sleep(LAYER_RETRY_SECONDS)
            try:
                for group in list(self.groups):
                    await self.channel_layer.group_add(group, self.channel_name)
                return
            except Exception as error:  # still unreachable
                layer_outage(error)

    # Groups on the channel layer.
    async def join(self, group: str) -> None:
        if group not in self.groups and self.channel_layer is not None:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups.append(group)

    async def leave(self, group: str) -> None:
        """Leave ``group`` (at once locally: the connection no longer acts on its messages)."""
        if group in self.groups:
            self.groups.remove(group)
            if self.channel_layer is not None:
                await self.channel_layer.group_discard(group, self.channel_name)

    # Sending.
    async def send(
        self, text_data: str | None = None, bytes_data: bytes | None = None, close: bool = False
    ) -> None:
        """Send a frame; a client that does not take it within ``WS_SEND_TIMEOUT`` is dropped (1008).

        The server's write buffer and the channel layer's queue of the connection are bounded, so a
        client that stops reading holds a bounded amount of memory until then.
        """
        try:
            async with asyncio.timeout(float(kit_settings.WS_SEND_TIMEOUT)):
                await super().send(text_data, bytes_data, close)
        except TimeoutError:
            await self.drop_slow_reader()

    async def drop_slow_reader(self) -> NoReturn:
        logger.warning(
            "WebSocket client does not read: closing %s (user %s)",
            self.path,
            self.user_label,
            extra={"request_id": self.request_id},
        )
        self.closing, self.close_code = True, CLOSE_POLICY_VIOLATION
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await super().close(CLOSE_POLICY_VIOLATION)
        await self.end(CLOSE_POLICY_VIOLATION)

    def push_frame(self, text: str) -> None:
        """Send a frame encoded for many connections, without waiting for this client.

        The frame is written at once when the client takes what it was sent (no timer, no task
        left behind: the common case). Otherwise it waits behind the frames the client has not
        taken (at most ``FRAMES_QUEUED``; more are dropped), and a client that takes none within
        ``WS_SEND_TIMEOUT`` is dropped (1008).
        """
        if self.closing:
            return
        if self.frames is not None:
            if len(self.frames) < FRAMES_QUEUED:
                self.frames.append(text)
            return
        self.frames = deque()
        writer = start_eagerly(self.write_frames(text))
        if writer is not None:  # the client has not taken the frame at once
            self.start_frame_timer(writer)

    def start_frame_timer(self, writer: asyncio.Task[None]) -> None:
        if self.frame_timer is not None:
            self.frame_timer.cancel()
        loop = asyncio.get_running_loop()
        self.frame_timer = loop.call_later(float(kit_settings.WS_SEND_TIMEOUT), self.frame_timed_out, writer)

    def frame_timed_out(self, writer: asyncio.Task[None]) -> None:
        self.frame_late = True
        writer.cancel()

    async def write_frames(self, text: str) -> None:
        """Write ``text``, then the frames pushed meanwhile, each within ``WS_SEND_TIMEOUT``."""
        frames = self.frames
        try:
            while True:
                await self.base_send({"type": "websocket.send", "text": text})
                if not frames:
                    return
                text = frames.popleft()
                self.start_frame_timer(asyncio.current_task())  # type: ignore[arg-type]
        except asyncio.CancelledError:
            if not self.frame_late:
                raise
            asyncio.current_task().uncancel()  # type: ignore[union-attr]
            with contextlib.suppress(StopConsumer):
                await self.drop_slow_reader()
            if self.serving is not None:  # the connection ended: stop serving it
                self.serving.cancel()
        except Exception:  # the connection went away: its own loop ends it
            logger.debug("A pushed frame could not be written to %s", self.path, exc_info=True)
        finally:
            self.frames = None
            if self.frame_timer is not None:
                self.frame_timer.cancel()
                self.frame_timer = None

    async def send_message(self, message_type: str, data: Any, *, request_id: str | None = None) -> None:
        """Send ``{"type", "data", "meta": {"request_id"}}`` to the client."""
        request_id = request_id or request_id_var.get() or self.request_id
        await self.send(text_data=server_message(message_type, data, request_id))
        metrics.message_sent(type(self).__name__, message_type)

    async def send_error(self, exc: BaseException) -> None:
        """Send the problem the HTTP API would answer for ``exc``."""
        token = request_id_var.set(request_id_var.get() or self.request_id)
        try:
            text = error_message(exc, self.request)
        finally:
            request_id_var.reset(token)
        await self.send(text_data=text)
        metrics.message_sent(type(self).__name__, "error")

    # Receiving.
    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.closing:
            return
        raw = text_data.encode() if text_data is not None else (bytes_data or b"")
        limit = int(kit_settings.WS_MAX_MESSAGE_SIZE)
        if len(raw) > limit:
            metrics.message_received(type(self).__name__, "too_large")
            await self.refuse(MessageTooLarge(limit), CLOSE_MESSAGE_TOO_BIG)
            return
        try:
            self.throttle()
            message = parse_message(raw.decode("utf-8", errors="replace"))
        except APIException as exc:
            metrics.message_received(type(self).__name__, "invalid")
            await self.send_error(exc)
            return
        metrics.message_received(type(self).__name__, message["type"])
        client_id = message.get("request_id")
        valid_id = client_id if isinstance(client_id, str) and VALID_REQUEST_ID.fullmatch(client_id) else None
        token = request_id_var.set(valid_id or self.request_id)
        try:
            await self.dispatch_message(message)
        except StopConsumer:
            raise
        except Exception as exc:
            await self.send_error(exc)
        finally:
            request_id_var.reset(token)

    def throttle(self) -> None:
        """Raise ``Throttled`` when the connection sent more than ``message_rate`` allows."""
        rate = kit_settings.WS_MESSAGE_RATE if self.message_rate == KIT_DEFAULT else self.message_rate
        if not rate:
            return
        allowed, period = SimpleRateThrottle.parse_rate(None, rate)  # type: ignore[arg-type]
        if allowed is None or period is None:
            return
        now = time.monotonic()
        if self.message_times is None:
            self.message_times = deque()
        while self.message_times and self.message_times[0] <= now - period:
            self.message_times.popleft()
        if len(self.message_times) >= allowed:
            raise Throttled(wait=self.message_times[0] + period - now)
        self.message_times.append(now)

    async def dispatch_message(self, message: dict[str, Any]) -> None:
        """Authenticate, or find the handler, check its requirement, validate, and call it."""
        if message["type"] == "authenticate":
            await self.receive_authenticate(message)
            return
        if self.authentication_required and not self.identity.is_authenticated:
            await self.refuse(NotAuthenticated(), CLOSE_UNAUTHENTICATED)
            return
        handler = message_handlers(type(self)).get(message["type"])
        if handler is None:
            raise InvalidMessage(f"Unknown message type {message['type']!r}.")
        required = required_permissions(self, handler)
        if required is not None and not await self.holds(required):
            raise PermissionDenied(f"Missing permission: {self.missing}.")
        data = {key: value for key, value in message.items() if key not in ("type", "request_id")}
        serializer_class = handler_spec(handler).serializer
        if serializer_class is not None:
            serializer = serializer_class(data=data, context={"request": self.request, "consumer": self})
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        if inspect.iscoroutinefunction(handler):
            await handler(self, data)
        else:  # a sync handler may query the database: it runs in Channels' database thread
            await database_sync_to_async(handler)(self, data)

    async def receive_authenticate(self, message: dict[str, Any]) -> None:
        if self.identity.is_authenticated:
            raise InvalidMessage("The connection is already authenticated.")
        request = credentials_request(self.request, message)
        try:
            identity = await database_sync_to_async(authenticate)(request, self.authentication_classes)
        except APIException as exc:
            await self.refuse(exc, CLOSE_UNAUTHENTICATED)
            return
        if not identity.is_authenticated:
            await self.refuse(NotAuthenticated("The message carries no credentials."), CLOSE_UNAUTHENTICATED)
            return
        await self.authenticated(identity)
        if not self.closing:
            await self.send_message("authenticated", {"user": str(identity.user.pk)})

    async def permission_set(self) -> PermissionSet:
        """The user's permissions (shared with its other connections, :mod:`kit.realtime.rights`)."""
        user = self.identity.user
        held = held_permissions(user)
        if held is None:
            held = await database_sync_to_async(load_permissions)(user)
        return held

    async def holds(self, required: Permissions) -> bool:
        """Whether the connection's user holds ``required`` (see :meth:`permission_set`)."""
        user = self.identity.user
        if user is None or not user.is_authenticated:
            return False
        held = await self.permission_set()
        try:
            required.verify(held)
        except PermissionNotMet as missing:
            self.missing = missing.permission
            return False
        return True

    # Channel layer messages (sent by kit.realtime.sending and kit.realtime.revocation).
    async def kit_message(self, event: dict[str, Any]) -> None:
        await self.send_message(event["message_type"], event.get("data"), request_id=event.get("request_id"))

    async def kit_revoked(self, event: dict[str, Any]) -> None:
        """The user's tokens (or one of them) were revoked, or the user was deactivated."""
        token_id = event.get("token_id")
        if token_id and token_id != self.identity.token_id:
            return
        await self.refuse(
            NotAuthenticated("The credentials of this connection were revoked."), CLOSE_UNAUTHENTICATED
        )


def start_eagerly(coroutine: Any) -> asyncio.Task[None] | None:
    """Run ``coroutine`` at once up to its first wait; the task carrying on with it, if it waits."""
    if sys.version_info >= (3, 12):
        task = asyncio.Task(coroutine, loop=asyncio.get_running_loop(), eager_start=True)
    else:
        task = asyncio.ensure_future(coroutine)
    if task.done():
        return None
    _writing.add(task)
    task.add_done_callback(_writing.discard)
    return task


_writing: set[asyncio.Task[None]] = set()
