"""Live resource events: :func:`publish` after the commit, :class:`EventsConsumer` at ``/ws/v1/events``.

A client subscribes with ``{"type": "subscribe", "resource": "items"}`` (it must hold
``items:read``; answered ``subscribed``, else a ``forbidden`` problem) and then receives
``{"type": "event", "data": {"resource", "action", "id", "object"}}`` for every change published
for that resource, by any process. Each event is checked for each connection when it is delivered:
the user must still hold ``<resource>:read``, and when the resource's view scopes its queryset
(:class:`kit.authorization.scoping.ScopedQuerysetMixin`), the object must be in the user's scope.
A deleted object can no longer be looked up: its ``deleted`` event reaches the users whose scope
is not restricted, and the connections that were sent that object before.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from channels.db import database_sync_to_async
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest
from django.urls import get_resolver
from django.utils.module_loading import import_string
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from kit.authorization.scoping import ScopedQuerysetMixin
from kit.realtime.consumer import Consumer, LayerUnavailable, layer_outage
from kit.realtime.groups import resource_group
from kit.realtime.handlers import handles
from kit.realtime.sending import group_send
from kit.request_id import get_request_id
from kit.views.events import VIEWS_BY_RESOURCE

ACTIONS = ("created", "updated", "deleted")
SEEN_IDS_KEPT = 10_000  # per connection and resource: the ids whose deletion it may be told


def publish(
    resource: str,
    action: str,
    instance: Any = None,
    *,
    pk: Any = None,
    data: Any = None,
    view_class: type | None = None,
) -> None:
    """Publish a change of ``resource`` to its subscribers, once the current transaction commits.

    ``instance`` is the changed object (``pk`` its primary key when it was deleted); ``data`` its
    representation, by default the serializer of the resource's model view (``view_class``, by
    default the view recorded for ``resource``). The view also gives the scope subscribers are
    checked against.
    """
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    view_class = view_class or resource_view(resource)
    if pk is None:
        pk = getattr(instance, "pk", None)
    if data is None and instance is not None and view_class is not None:
        data = _view(view_class, None).get_serializer(instance).data
    event = {
        "type": "kit.event",
        "resource": resource,
        "action": action,
        "id": pk,
        "object": data,
        "view": _view_path(view_class) if _is_scoped(view_class) else None,
        "request_id": get_request_id(),
    }
    using = getattr(getattr(instance, "_state", None), "db", None) or DEFAULT_DB_ALIAS
    transaction.on_commit(lambda: group_send(resource_group(resource), event), using=using)


def resource_view(resource: str) -> type | None:
    """The model view recorded for ``resource`` (the URLconf is loaded to find it if needed)."""
    if resource not in VIEWS_BY_RESOURCE:
        get_resolver().url_patterns  # noqa: B018 - imports the project's views
    return VIEWS_BY_RESOURCE.get(resource)


def _view_path(view_class: Any) -> str:
    return f"{view_class.__module__}.{view_class.__qualname__}"


def _is_scoped(view_class: type | None) -> bool:
    return view_class is not None and issubclass(view_class, ScopedQuerysetMixin)


def _view(view_class: type, user: Any) -> Any:
    """An instance of ``view_class`` serving a bare request of ``user`` (for its queryset, serializer)."""
    http_request = HttpRequest()
    http_request.method = "GET"
    request = Request(http_request)
    if user is not None:
        request.user = user
    view = view_class()
    view.request, view.args, view.kwargs, view.format_kwarg = request, (), {}, None
    return view


def visible_in_scope(user: Any, view_path: str, pk: Any) -> bool:
    """Whether object ``pk`` is in ``user``'s scope of the view at ``view_path`` (a query).

    With ``pk`` None (a deleted object): whether the user's scope is unrestricted (the scoped
    queryset is the unscoped one).
    """
    view = _view(import_string(view_path), user)
    scoped = view.get_queryset()
    if pk is None:
        unscoped = super(ScopedQuerysetMixin, view).get_queryset()
        return str(scoped.query) == str(unscoped.query)
    return bool(scoped.filter(pk=pk).exists())


class SubscribeMessage(serializers.Serializer):
    resource = serializers.RegexField(r"^[A-Za-z0-9_.-]{1,80}$", help_text="The resource name (e.g. items).")


class EventsConsumer(Consumer):
    """``subscribe`` / ``unsubscribe`` to resources; receive their ``event`` messages."""

    async def on_authenticated(self) -> None:
        self.subscriptions: set[str] = set()
        self.seen: dict[str, OrderedDict[Any, None]] = {}

    @handles("subscribe", serializer=SubscribeMessage, summary="Receive the events of a resource.")
    async def subscribe(self, data: dict[str, Any]) -> None:
        resource = data["resource"]
        if f"{resource}:read" not in await self.permission_set():
            raise PermissionDenied(f"Missing permission: {resource}:read.")
        try:
            await self.join(resource_group(resource))
        except Exception as error:  # the channel layer (Redis) cannot be reached
            layer_outage(error)
            raise LayerUnavailable from error
        self.subscriptions.add(resource)
        await self.send_message("subscribed", {"resource": resource})

    @handles("unsubscribe", serializer=SubscribeMessage, summary="Stop receiving a resource's events.")
    async def unsubscribe(self, data: dict[str, Any]) -> None:
        resource = data["resource"]
        self.subscriptions.discard(resource)
        self.seen.pop(resource, None)
        try:
            await self.leave(resource_group(resource))
        except Exception as error:
            layer_outage(error)
        await self.send_message("unsubscribed", {"resource": resource})

    async def kit_event(self, event: dict[str, Any]) -> None:
        resource = event["resource"]
        if resource not in getattr(self, "subscriptions", ()):
            return
        pk, action = event["id"], event["action"]
        seen = self.seen.setdefault(resource, OrderedDict())
        if f"{resource}:read" not in await self.permission_set():
            return
        visible = True
        if event.get("view") is not None:
            lookup = None if action == "deleted" else pk
            visible = await database_sync_to_async(visible_in_scope)(
                self.identity.user, event["view"], lookup
            )
        if action == "deleted":
            visible = visible or pk in seen
            seen.pop(pk, None)
        elif visible and event.get("view") is not None:
            seen[pk] = None
            while len(seen) > SEEN_IDS_KEPT:
                seen.popitem(last=False)
        if not visible:
            return
        data = {"resource": resource, "action": action, "id": pk, "object": event["object"]}
        await self.send_message("event", data, request_id=event.get("request_id"))
