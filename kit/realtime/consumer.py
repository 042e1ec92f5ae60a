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
deactivated (:mod:`kit.realtime.revocation`), from any process.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
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

from kit.authorization.held import get_permission_set
from kit.authorization.permission_set import PermissionSet
from kit.authorization.requirements import PermissionNotMet, Permissions, as_permissions
from kit.conf import kit_settings
from kit.errors.exceptions import Problem
from kit.realtime import metrics
from kit.realtime.groups import EVERYONE, user_group
from kit.realtime.handlers import handler_spec, message_handlers, required_permissions
from kit.realtime.handshake import ANONYMOUS, Identity, authenticate, credentials_request, scope_request
from kit.realtime.messages import (
    InvalidMessage,
    MessageTooLarge,
    error_message,
    parse_message,
    server_message,
)
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
LAYER_RETRY_SECONDS = 1.0
CLOSE_TIMEOUT = 1.0
PERMISSIONS_MAX_AGE = 60.0
KIT_DEFAULT = "KIT"  # message_rate: the KIT option WS_MESSAGE_RATE


class LayerUnavailable(Problem):
    """503 ``service_unavailable``: the channel layer (Redis) cannot be reached."""

    def __init__(self) -> None:
        super().__init__(503, "service_unavailable", "Real-time messaging is unavailable; try again later.")


def layer_outage(error: BaseException) -> None:
    """Log that the channel layer failed (once a second at most, not once per connection)."""
    global _last_outage_log
    now = time.monotonic()
    if now - _last_outage_log >= 1.0:
        _last_outage_log = now
        logger.error("Channel layer unavailable: %s: %s", type(error).__name__, error)


_last_outage_log = 0.0


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

    request: HttpRequest
    identity: Identity

    # Connection lifecycle.
    async def connect(self) -> None:
        self.request = scope_request(self.scope)
        self.identity = ANONYMOUS
        self.groups: list[str] = []
        self.message_times: deque[float] = deque()
        self.auth_timer: asyncio.TimerHandle | None = None
        self.closing = False
        self.close_code: int | None = None
        await self.accept()
        remember_memory_layer_loop(self.channel_layer)
        OPEN_CONNECTIONS.add(self)
        metrics.connection_opened(type(self).__name__)
        try:
            identity = await database_sync_to_async(authenticate)(self.request, self.authentication_classes)
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
        self.permissions_held: PermissionSet | None = None
        self.permissions_loaded = 0.0
        self.request.user = identity.user
        required = as_permissions(self.permissions)
        if required is not None and not await self.holds(required):
            await self.refuse(PermissionDenied(f"Missing permission: {required}."), CLOSE_FORBIDDEN)
            return
        try:
            await self.join(user_group(identity.user.pk))
            await self.join(EVERYONE)
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
            self.request.path,
            self.user_label,
            close_code,
            extra={"request_id": self.request.request_id},  # type: ignore[attr-defined]
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
            self.request.path,
            self.user_label,
            extra={"request_id": self.request.request_id},  # type: ignore[attr-defined]
        )

    @property
    def user_label(self) -> str:
        user = self.identity.user
        return str(user.pk) if self.identity.is_authenticated else "-"

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
        try:
            return await self.layer_receive()
        except Exception as error:  # the layer is unreachable
            layer_outage(error)
        while True:
            await asyncio.sleep(LAYER_RETRY_SECONDS)
            try:
                for group in list(self.groups):
                    await self.channel_layer.group_add(group, self.channel_name)
                return await self.layer_receive()
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
            self.request.path,
            self.user_label,
            extra={"request_id": self.request.request_id},  # type: ignore[attr-defined]
        )
        self.closing, self.close_code = True, CLOSE_POLICY_VIOLATION
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await super().close(CLOSE_POLICY_VIOLATION)
        await self.end(CLOSE_POLICY_VIOLATION)

    async def send_message(self, message_type: str, data: Any, *, request_id: str | None = None) -> None:
        """Send ``{"type", "data", "meta": {"request_id"}}`` to the client."""
        request_id = request_id or request_id_var.get() or self.request.request_id  # type: ignore[attr-defined]
        await self.send(text_data=server_message(message_type, data, request_id))
        metrics.message_sent(type(self).__name__, message_type)

    async def send_error(self, exc: BaseException) -> None:
        """Send the problem the HTTP API would answer for ``exc``."""
        token = request_id_var.set(request_id_var.get() or self.request.request_id)  # type: ignore[attr-defined]
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
        token = request_id_var.set(valid_id or self.request.request_id)  # type: ignore[attr-defined]
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
        result = handler(self, data)
        if inspect.isawaitable(result):
            await result

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
        """The user's permissions, held by the connection.

        Reloaded when rights change (``kit.permissions`` from :mod:`kit.realtime.revocation`) and
        at least every ``PERMISSIONS_MAX_AGE`` seconds (should a notice be lost in a layer outage).
        """
        if self.permissions_held is None or time.monotonic() - self.permissions_loaded > PERMISSIONS_MAX_AGE:
            self.permissions_loaded = time.monotonic()
            self.permissions_held = await database_sync_to_async(get_permission_set)(self.identity.user)
        return self.permissions_held

    async def kit_permissions(self, event: dict[str, Any]) -> None:
        self.permissions_held = None

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
