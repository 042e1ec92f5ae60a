"""Actions of the model views: DRF's model mixins with the kit's response rules.

- ``ListMixin.list``: the filtered, ordered, paginated list (200, ``meta.pagination``), or every
  matching row as a streamed CSV for ``Accept: text/csv`` / ``?format=csv``; read as rows through
  the serializer's read plan when it has one (:mod:`kit.serializers.read_plans`);
- ``CreateMixin.create``: 201 with a ``Location`` header naming the new object;
- ``RetrieveMixin.retrieve``: one object (404 ``not_found`` when it does not exist);
- ``UpdateMixin.update`` / ``partial_update``: PUT replaces, PATCH changes the fields given
  (``PATCH {}`` is a valid no-op answering 200 with the object);
- ``DestroyMixin.destroy``: 204 with an empty body.

Creates, updates and deletes publish live events when the view asks for them
(``publish_events``, :mod:`kit.views.events`).
"""

from __future__ import annotations

from typing import Any, Protocol, cast
from urllib.parse import quote

from django.db.models import QuerySet
from rest_framework import mixins
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from kit.api.pagination import LimitOffsetPagination, PageNumberPagination
from kit.files.persistence import delete_with_files, save_with_files
from kit.overrides import user_override
from kit.serializers.read_plans import ReadPlan, read_plan
from kit.views.events import deletion_audience, publish_view_event
from kit.views.export import CSVExportMixin
from kit.views.protocols import ListView


class _CreatingView(Protocol):
    lookup_field: str
    request: Request

    def get_success_location(self, data: Any) -> str | None: ...


class PlannedListMixin(mixins.ListModelMixin):
    """``list`` reading rows through the serializer's read plan, when it has one."""

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view = cast("ListView", self)  # mixed into a DRF generic view
        plan = self.get_read_plan()
        queryset = view.filter_queryset(view.get_queryset())
        if plan is None or not plan.can_read(queryset):
            return _drf_list(view, queryset)
        rows, represent_all = plan.read(queryset)
        page = view.paginate_queryset(rows)
        if page is not None:
            return view.get_paginated_response(represent_all(page))
        return Response(represent_all(rows))

    def get_read_plan(self) -> ReadPlan | None:
        """The read plan of the list's serializer, or None when DRF must serialize.

        Used when the view builds its serializer and pages the standard way (``get_serializer`` and
        ``paginate_queryset`` are not the project's own) with one of the kit's paginations (or
        none), and that pagination's ``paginate_queryset`` is the kit's: they would see rows, not
        model objects.
        """
        if user_override(type(self), _VIEW_HOOKS) is not None:
            return None
        view = cast("ListView", self)
        paginator = view.paginator
        if paginator is not None and (
            not isinstance(paginator, _ROW_PAGINATIONS) or user_override(type(paginator), _PAGINATION_HOOKS)
        ):
            return None
        return read_plan(view.get_serializer_class())  # type: ignore[arg-type]  # DRF stubs: classes unhashable


_ROW_PAGINATIONS = (PageNumberPagination, LimitOffsetPagination)
_VIEW_HOOKS = ("get_serializer", "paginate_queryset")
_PAGINATION_HOOKS = ("paginate_queryset",)


def _drf_list(view: ListView, queryset: QuerySet[Any]) -> Response:
    """DRF's ``ListModelMixin.list`` on an already filtered queryset."""
    page = view.paginate_queryset(queryset)
    if page is not None:
        return view.get_paginated_response(view.get_serializer(page, many=True).data)
    return Response(view.get_serializer(queryset, many=True).data)


class ListMixin(CSVExportMixin, PlannedListMixin):
    """List the view's queryset, filtered by ``filter_class`` and paginated (or streamed as CSV)."""


class CreateMixin(mixins.CreateModelMixin):
    """Create an object from the request body; answer 201 with ``Location``.

    Files are stored first, the row written after; a storage that is down answers 503 and leaves no
    row (:func:`kit.files.persistence.save_with_files`).
    """

    def perform_create(self, serializer: Any) -> None:
        save_with_files(serializer)
        publish_view_event(self, "created", serializer.instance)

    def get_success_headers(self: _CreatingView, data: Any) -> dict[str, str]:
        location = self.get_success_location(data)
        return {"Location": location} if location else {}

    def get_success_location(self: _CreatingView, data: Any) -> str | None:
        """Return the absolute URL of the created object, for the ``Location`` header.

        The serializer's ``url`` field when it has one (``HyperlinkedModelSerializer``); otherwise
        the request path followed by the object's ``lookup_field`` value: ``/api/v1/items`` gives
        ``/api/v1/items/42`` and ``/api/v1/items/`` gives ``/api/v1/items/42/``, the detail URL of
        the usual ``urls.py`` and router layouts. Override it for other layouts.
        """
        url = data.get(api_settings.URL_FIELD_NAME)
        if url:
            return str(url)
        instance = getattr(getattr(data, "serializer", None), "instance", None)
        if instance is None:
            return None
        value = quote(str(getattr(instance, self.lookup_field)), safe="")
        path = self.request.path
        path = f"{path}{value}/" if path.endswith("/") else f"{path}/{value}"
        return self.request.build_absolute_uri(path)


class RetrieveMixin(mixins.RetrieveModelMixin):
    """Answer one object, looked up by ``lookup_field`` in the unfiltered queryset."""


class UpdateMixin(mixins.UpdateModelMixin):
    """Replace an object (PUT, every required field) or change some fields (PATCH); a replaced
    stored file is deleted once the change commits."""

    def perform_update(self, serializer: Any) -> None:
        save_with_files(serializer)
        publish_view_event(self, "updated", serializer.instance)


class DestroyMixin(mixins.DestroyModelMixin):
    """Delete an object, and its stored files once that commits; publish the deletion (live events);
    answer 204 with an empty body."""

    def perform_destroy(self, instance: Any) -> None:
        pk = instance.pk
        audience = deletion_audience(self, instance)  # who sees it, while it is still stored
        delete_with_files(instance)
        publish_view_event(self, "deleted", instance, pk=pk, audience=audience)
