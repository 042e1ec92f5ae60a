"""Row-level access for list and detail views: scope the queryset to what the caller may see.

``ScopedQuerysetMixin`` calls ``scope_queryset(request, queryset)`` from ``get_queryset()``, so the
scope applies to lists and to detail lookups alike (a row outside the scope answers 404, without
revealing that it exists). Writes obey the same scope: a create or an update whose row would fall
outside it is rolled back and answered 403. ``OwnedQuerysetMixin`` is the common case: callers see
(and write) the rows whose ``owner_field`` is themselves, unless they hold ``unscoped_permission``;
a create that names no owner is owned by the caller.

``scope_audience(instance)`` tells who may see an object without querying per user (the users, and
the holders of a permission): live events use it to send a deleted object's ``deleted`` event to
exactly the subscribers that could see it (:mod:`kit.realtime.events`). ``OwnedQuerysetMixin``
answers it; a custom ``scope_queryset`` may override it too.

Example::

    class ItemList(OwnedQuerysetMixin, ListCreateModelView):
        model = Item
        resource = "items"
        owner_field = "owner"
        unscoped_permission = "items:read_all"
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models import Model, QuerySet
from rest_framework.exceptions import PermissionDenied
from rest_framework.serializers import BaseSerializer

from kit.authorization.held import has_permission

OUT_OF_SCOPE = "You may not write an object you would not be allowed to see."


@dataclass(frozen=True)
class Audience:
    """Who may see an object: the users of ``users`` (primary keys as text), and holders of ``permission``."""

    users: frozenset[str]
    permission: str | None = None

    def includes(self, user_pk: Any, held: Any) -> bool:
        """Whether the user ``user_pk``, holding the permission set ``held``, may see the object."""
        return str(user_pk) in self.users or (self.permission is not None and self.permission in held)


class ScopedQuerysetMixin:
    """Filter ``get_queryset()`` through :meth:`scope_queryset`, and keep writes inside that scope.

    For generic DRF views: ``perform_create`` and ``perform_update`` save in a transaction, then
    check that the saved row is inside the caller's scope; when it is not, the write is rolled back
    and answered 403 ``forbidden``.
    """

    request: Any

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()  # type: ignore[misc]
        return self.scope_queryset(self.request, queryset)

    def scope_queryset(self, request: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Override: return the rows ``request``'s caller may see (all of them by default)."""
        return queryset

    def perform_create(self, serializer: BaseSerializer) -> None:
        self.save_in_scope(serializer, super().perform_create)  # type: ignore[misc]

    def perform_update(self, serializer: BaseSerializer) -> None:
        self.save_in_scope(serializer, super().perform_update)  # type: ignore[misc]

    def save_in_scope(self, serializer: BaseSerializer, save: Callable[[BaseSerializer], None]) -> None:
        """Run ``save(serializer)``; roll it back with a 403 when the row leaves the caller's scope."""
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        using = router.db_for_write(model) if model is not None else DEFAULT_DB_ALIAS
        with transaction.atomic(using=using):
            save(serializer)
            if not self.is_in_scope(serializer.instance):
                raise PermissionDenied(OUT_OF_SCOPE)

    def is_in_scope(self, instance: Model | None) -> bool:
        """Whether the caller may see ``instance`` as it is now stored."""
        if instance is None:
            return False
        stored = type(instance)._default_manager.filter(pk=instance.pk)
        return self.scope_queryset(self.request, stored).exists()

    def scope_audience(self, instance: Model) -> Audience | None:
        """Override with ``scope_queryset``: who may see ``instance`` (None: not known without queries)."""
        return None


class OwnedQuerysetMixin(ScopedQuerysetMixin):
    """Callers see and write their own rows; holders of ``unscoped_permission`` see every row.

    A create that does not set ``owner_field`` (e.g. a serializer with the owner read-only) is owned
    by the caller. Creating a row for someone else, or moving a row to another owner, is refused
    (403) unless the caller holds ``unscoped_permission``.
    """

    owner_field = "owner"
    unscoped_permission: str | None = None

    def scope_queryset(self, request: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.unscoped_permission and has_permission(request, self.unscoped_permission):
            return queryset
        user = request.user
        if not (user and user.is_authenticated and user.pk is not None):
            return queryset.none()
        return queryset.filter(**{self.owner_field: user.pk})

    def scope_audience(self, instance: Model) -> Audience:
        """The owners of ``instance`` (an owner path across relations is queried: call it before a delete)."""
        if "__" in self.owner_field:
            stored = type(instance)._default_manager.filter(pk=instance.pk)
            owners = list(stored.values_list(self.owner_field, flat=True))
        else:
            field = instance._meta.get_field(self.owner_field)
            owners = [getattr(instance, getattr(field, "attname", self.owner_field))]
        users = frozenset(str(owner) for owner in owners if owner is not None)
        return Audience(users, self.unscoped_permission)

    def perform_create(self, serializer: BaseSerializer) -> None:
        user = self.request.user
        direct = "__" not in self.owner_field  # a path such as "team__owner" is not set here
        if direct and user.is_authenticated and self.owner_field not in serializer.validated_data:
            serializer.validated_data[self.owner_field] = self.owner_value(serializer, user)
        super().perform_create(serializer)

    def owner_value(self, serializer: BaseSerializer, user: Any) -> Any:
        """The value of ``owner_field`` naming ``user``: the account, or its primary key."""
        field = serializer.Meta.model._meta.get_field(self.owner_field)  # type: ignore[attr-defined]
        return user if field.is_relation else user.pk
