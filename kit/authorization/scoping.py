"""Row-level access for list and detail views: scope the queryset to what the caller may see.

``ScopedQuerysetMixin`` calls ``scope_queryset(request, queryset)`` from ``get_queryset()``, so the
scope applies to lists and to detail lookups alike (a row outside the scope answers 404, without
revealing that it exists). ``OwnedQuerysetMixin`` is the common case: callers see the rows whose
``owner_field`` is themselves, unless they hold ``unscoped_permission``.

Example::

    class ItemList(OwnedQuerysetMixin, ListCreateModelView):
        model = Item
        resource = "items"
        owner_field = "owner"
        unscoped_permission = "items:read_all"
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kit.authorization.cache import has_permission


class ScopedQuerysetMixin:
    """Filter ``get_queryset()`` through :meth:`scope_queryset` (for generic DRF views)."""

    request: Any

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()  # type: ignore[misc]
        return self.scope_queryset(self.request, queryset)

    def scope_queryset(self, request: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Override: return the rows ``request``'s caller may see (all of them by default)."""
        return queryset


class OwnedQuerysetMixin(ScopedQuerysetMixin):
    """Callers see their own rows; holders of ``unscoped_permission`` see every row."""

    owner_field = "owner"
    unscoped_permission: str | None = None

    def scope_queryset(self, request: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.unscoped_permission and has_permission(request, self.unscoped_permission):
            return queryset
        user = request.user
        if not (user and user.is_authenticated and user.pk is not None):
            return queryset.none()
        return queryset.filter(**{self.owner_field: user.pk})
