"""Message handlers of a consumer: which method serves which message ``type``, what it requires.

A handler is a consumer method decorated with :func:`handles`::

    class ChatConsumer(Consumer):
        resource = "rooms"

        @handles("say", serializer=SayMessage, operation="update")
        async def say(self, data): ...

        @handles("purge")
        @require_permission("rooms:purge")
        async def purge(self, data): ...

Requirements follow the views' rules (:mod:`kit.authorization.requirements`): the handler's
``require_*`` decorators (combined with the consumer's ``permissions``), else the consumer's
``permissions``, else ``resource:operation`` when the handler names an operation and the consumer a
``resource``. A handler without any requirement only needs the connection's user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from rest_framework.serializers import BaseSerializer

from kit.authorization.requirements import Permissions, as_permissions

Handler = TypeVar("Handler", bound=Callable[..., Any])
HANDLER_ATTRIBUTE = "_kit_message"


@dataclass(frozen=True)
class MessageSpec:
    """What a handler declares: its message type, payload serializer, operation and summary."""

    message_type: str
    serializer: type[BaseSerializer] | None = None
    operation: str | None = None
    summary: str = ""


def handles(
    message_type: str,
    *,
    serializer: type[BaseSerializer] | None = None,
    operation: str | None = None,
    summary: str = "",
) -> Callable[[Handler], Handler]:
    """Mark a consumer method as the handler of messages of ``message_type``.

    ``serializer`` validates the message (its other members than ``type``); the handler receives
    the validated data. ``operation`` requires ``<resource>:<operation>``.
    """

    def decorator(handler: Handler) -> Handler:
        spec = MessageSpec(message_type, serializer, operation, summary or (handler.__doc__ or "").strip())
        setattr(handler, HANDLER_ATTRIBUTE, spec)
        return handler

    return decorator


def message_handlers(consumer_class: type) -> dict[str, Callable[..., Any]]:
    """The consumer class's handlers by message type (subclasses override by type)."""
    found: dict[str, Callable[..., Any]] = {}
    for klass in reversed(consumer_class.__mro__):
        for value in vars(klass).values():
            spec = getattr(value, HANDLER_ATTRIBUTE, None)
            if spec is not None:
                found[spec.message_type] = value
    return found


def handler_spec(handler: Callable[..., Any]) -> MessageSpec:
    spec: MessageSpec = getattr(handler, HANDLER_ATTRIBUTE)
    return spec


def required_permissions(consumer: Any, handler: Callable[..., Any]) -> Permissions | None:
    """What ``handler`` of ``consumer`` requires; None: only an authenticated user (or nothing)."""
    declared = as_permissions(getattr(consumer, "permissions", None))
    on_handler = as_permissions(getattr(handler, "permissions", None))
    if on_handler is not None:
        return declared.combine(on_handler) if declared is not None else on_handler
    if declared is not None:
        return declared
    operation = handler_spec(handler).operation
    resource = getattr(consumer, "resource", None)
    if resource and operation:
        return Permissions(and_set={f"{resource}:{operation}"})
    return None
