"""Live resource events of the model views: which views publish them, and the hook that does.

A model view with a ``resource`` publishes an event for every object it creates, updates or deletes
when its ``publish_events`` attribute is True (or, when the view leaves it unset, when the KIT
option ``PUBLISH_EVENTS`` is on). The event carries the representation the view's serializer gives
(the detail view's), and goes out once the transaction commits (:func:`kit.realtime.publish`).

Views with a ``resource`` are recorded by resource name, so that code outside views
(``kit.realtime.publish`` from a task) finds the serializer and the scope of a resource.
"""

from __future__ import annotations

from typing import Any

from kit.conf import kit_settings

VIEWS_BY_RESOURCE: dict[str, type] = {}
"""The model view of each resource name: the first declared, or the first publishing events."""


def record_view(view_class: type) -> None:
    """Record ``view_class`` as its resource's view (a view that publishes events wins)."""
    resource = getattr(view_class, "resource", None)
    if not resource:
        return
    current = VIEWS_BY_RESOURCE.get(resource)
    if current is None or (
        view_class.__dict__.get("publish_events") and not current.__dict__.get("publish_events")
    ):
        VIEWS_BY_RESOURCE[resource] = view_class


def publishes_events(view: Any) -> bool:
    """Whether ``view`` publishes events: ``publish_events``, else ``KIT["PUBLISH_EVENTS"]``."""
    if not getattr(view, "resource", None):
        return False
    declared = getattr(view, "publish_events", None)
    return bool(kit_settings.PUBLISH_EVENTS if declared is None else declared)


def deletion_audience(view: Any, instance: Any) -> Any:
    """Who may see ``instance`` before ``view`` deletes it (its scope's audience), if it publishes events."""
    scope_audience = getattr(view, "scope_audience", None)
    if scope_audience is None or not publishes_events(view):
        return None
    return scope_audience(instance)


def publish_view_event(view: Any, action: str, instance: Any, pk: Any = None, audience: Any = None) -> None:
    """Publish ``action`` on ``instance`` for ``view``'s resource, when the view publishes events.

    ``audience``: for a deletion, :func:`deletion_audience` taken before the delete.
    """
    if not publishes_events(view):
        return
    from kit.realtime.events import publish

    publish(
        view.resource,
        action,
        instance,
        pk=pk,
        data=view.get_serializer(instance).data,
        view_class=type(view),
        audience=audience,
    )
