"""Live resource events: :func:`publish` after the commit, :class:`EventsConsumer` at ``/ws/v1/events``.

A client subscribes with ``{"type": "subscribe", "resource": "items"}`` (it must hold
``items:read``; answered ``subscribed``, else a ``forbidden`` problem) and then receives
``{"type": "event", "data": {"resource", "action", "id", "object"}}`` for every change published
for that resource, by any process.

Each process receives an event once (:mod:`kit.realtime.process`) and :func:`deliver` decides
for each local subscriber whether its user may see it: the user must still hold
``<resource>:read`` (the permission sets shared per user, :mod:`kit.realtime.rights`), and when
the resource's view scopes its queryset (:class:`kit.authorization.scoping.ScopedQuerysetMixin`),
the object must be in the user's scope (one query per user, not per connection). A deleted object
can no longer be looked up: its event carries the scope's audience taken before the delete
(``scope_audience``: the owners, the holders of the unscoped permission), and reaches exactly the
subscribers it names. A scope without an audience sends ``deleted`` to the users whose scope is
unrestricted only. The message is encoded once and the same frame pushed to every recipient.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from channels.db import database_sync_to_async
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest
from django.urls import get_resolver
from django.utils.module_loading import import_string
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from kit.authorization.permission_set import PermissionSet
from kit.authorization.scoping import Audience, ScopedQuerysetMixin
from kit.realtime import metrics
from kit.realtime.consumer import Consumer
from kit.realtime.groups import resource_group
from kit.realtime.handlers import handles
from kit.realtime.messages import server_message
from kit.realtime.process import ProcessChannel, process_channel
from kit.realtime.rights import held_permissions, load_permissions
from kit.realtime.sending import group_send
from kit.request_id import get_request_id
from kit.views.events import VIEWS_BY_RESOURCE

ACTIONS = ("created", "updated", "deleted")


def publish(
    resource: str,
    action: str,
    instance: Any = None,
    *,
    pk: Any = None,
    data: Any = None,
    view_class: type | None = None,
    audience: Audience | None = None,
) -> None:
    """Publish a change of ``resource`` to its subscribers, once the current transaction commits.

    ``instance`` is the changed object (``pk`` its primary key when it was deleted); ``data`` its
    representation, by default the serializer of the resource's model view (``view_class``, by
    default the view recorded for ``resource``). The view also gives the scope subscribers are
    checked against; for a deletion, ``audience`` is who could see the object (default: the
    view's ``scope_audience(instance)``, which may need the object still stored: publish inside
    the deleting transaction, before the delete).
    """
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    view_class = view_class or resource_view(resource)
    if pk is None:
        pk = getattr(instance, "pk", None)
    if data is None and instance is not None and view_class is not None:
        data = _view(view_class, None).get_serializer(instance).data
    scoped = _is_scoped(view_class)
    if action == "deleted" and scoped and audience is None and instance is not None:
        audience = _view(view_class, None).scope_audience(instance)  # type: ignore[arg-type]
    event = {
        "type": "kit.event",
        "resource": resource,
        "action": action,
        "id": pk,
        "object": data,
        "view": _view_path(view_class) if scoped else None,
        "audience": None if audience is None else _audience_message(audience),
        "request_id": get_request_id(),
    }
    using = getattr(getattr(instance, "_state", None), "db", None) or DEFAULT_DB_ALIAS
    transaction.on_commit(lambda: group_send(resource_group(resource), event), using=using)


def _audience_message(audience: Audience) -> dict[str, Any]:
    return {"users": sorted(audience.users), "permission": audience.permission}


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


def users_in_scope(view_path: str, pk: Any, users: dict[str, Any]) -> set[str]:
    """The primary keys of ``users`` whose scope shows object ``pk`` (see :func:`visible_in_scope`)."""
    return {key for key, user in users.items() if visible_in_scope(user, view_path, pk)}


async def deliver(event: dict[str, Any], consumers: Iterable[Any]) -> None:
    """Push ``event`` to the connections among ``consumers`` whose user may see it, encoded once.

    Rights and scope are checked once per user (its connections share the answer).
    """
    resource, action = event["resource"], event["action"]
    users: dict[str, Any] = {}
    connections: dict[str, list[Any]] = {}
    for consumer in consumers:
        if not consumer.closing:
            key = str(consumer.identity.user.pk)
            users[key] = consumer.identity.user
            connections.setdefault(key, []).append(consumer)
    stale = [user for user in users.values() if held_permissions(user) is None]
    if stale:
        await database_sync_to_async(lambda: [load_permissions(user) for user in stale])()
    held = {key: held_permissions(user) or PermissionSet() for key, user in users.items()}
    readers = {key for key, permissions in held.items() if f"{resource}:read" in permissions}
    if readers and event.get("view") is not None:
        audience = event.get("audience")
        if action == "deleted" and audience is not None:
            known = Audience(frozenset(audience["users"]), audience["permission"])
            readers = {key for key in readers if known.includes(key, held[key])}
        else:
            lookup = None if action == "deleted" else event["id"]
            candidates = {key: users[key] for key in readers}
            readers = await database_sync_to_async(users_in_scope)(event["view"], lookup, candidates)
    if not readers:
        return
    data = {"resource": resource, "action": action, "id": event["id"], "object": event["object"]}
    text = server_message("event", data, event.get("request_id"))
    sent: Counter[str] = Counter()
    for key in readers:
        for consumer in connections[key]:
            consumer.push_frame(text)
            sent[type(consumer).__name__] += 1
    for consumer_name, count in sent.items():
        metrics.message_sent(consumer_name, "event", count)


class SubscribeMessage(serializers.Serializer):
    resource = serializers.RegexField(r"^[A-Za-z0-9_.-]{1,80}$", help_text="The resource name (e.g. items).")


class EventsConsumer(Consumer):
    """``subscribe`` / ``unsubscribe`` to resources; receive their ``event`` messages."""

    async def on_authenticated(self) -> None:
        self.subscriptions: set[str] = set()

    @property
    def process(self) -> ProcessChannel:
        """This process's channel (one channel-layer membership per resource for all its subscribers)."""
        return process_channel(self.channel_layer)

    @handles("subscribe", serializer=SubscribeMessage, summary="Receive the events of a resource.")
    async def subscribe(self, data: dict[str, Any]) -> None:
        resource = data["resource"]
        if f"{resource}:read" not in await self.permission_set():
            raise PermissionDenied(f"Missing permission: {resource}:read.")
        await self.process.subscribe(self, resource)
        self.subscriptions.add(resource)
        await self.send_message("subscribed", {"resource": resource})

    @handles("unsubscribe", serializer=SubscribeMessage, summary="Stop receiving a resource's events.")
    async def unsubscribe(self, data: dict[str, Any]) -> None:
        resource = data["resource"]
        self.subscriptions.discard(resource)
        self.process.unsubscribe(self, resource)
        await self.send_message("unsubscribed", {"resource": resource})

    async def on_disconnected(self, code: int) -> None:
        for resource in getattr(self, "subscriptions", ()):
            self.process.unsubscribe(self, resource)
