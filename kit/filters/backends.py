"""``FilterBackend``: the kit's DRF filter backend (``DEFAULT_FILTER_BACKENDS``).

It reads the view's ``filterset_class`` (alias ``filter_class``) or ``filterset_fields`` like
django-filter's ``DjangoFilterBackend`` (so drf-spectacular documents the same parameters), but
validates the query string with a :class:`~kit.filters.plan.FilterPlan` prepared once per class
instead of a Django form per request. It only filters list requests: a detail lookup
(``/items/<pk>``) is never narrowed by query parameters.

A filter class with per-request hooks of its own (``qs``, ``filter_queryset``, ``Meta.form``...,
see :class:`~kit.filters.plan.FilterPlan`), or a subclass of this backend overriding
``get_filterset`` or ``get_filterset_kwargs``, is filtered by django-filter's own path: a
FilterSet and its form per request, the form's errors answered as ``invalid_filter``.

Unknown query parameters answer 400 ``invalid_filter``. Known besides the filters: ``ordering``,
the paginator's parameters, DRF's ``format``, the fields of the view's ``query_serializer_class``
and the names in the view's ``extra_query_params``.
"""

from __future__ import annotations

from collections.abc import Container
from functools import cache
from typing import Any

from django.db.models import QuerySet
from django_filters.filterset import BaseFilterSet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request
from rest_framework.serializers import Serializer
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from kit.api.list_rules import is_detail_request
from kit.filters.filterset import ModelFilter
from kit.filters.plan import FilterPlan, known_names
from kit.overrides import user_override

PAGINATION_PARAM_ATTRIBUTES = (
    "page_query_param",
    "page_size_query_param",
    "limit_query_param",
    "offset_query_param",
    "cursor_query_param",
)


class FilterBackend(DjangoFilterBackend):
    """Filters and orders list requests with the view's ModelFilter; rejects unknown parameters."""

    filterset_base = ModelFilter
    _auto_classes: dict[tuple[type, type], type[BaseFilterSet]] = {}

    def filter_queryset(self, request: Request, queryset: QuerySet, view: APIView) -> QuerySet:
        if is_detail_request(view):
            return queryset
        plan = FilterPlan.for_class(self.get_filterset_class(view, queryset))
        stock = plan.hook is not None or user_override(type(self), _BACKEND_HOOKS) is not None
        query = plan.parse(request.query_params, lambda: self.get_known_params(view), values=not stock)
        if not stock:
            return plan.apply(query, queryset, request)
        query.raise_errors()
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            query.add_form_errors(filterset.errors)
            query.raise_errors()
        return filterset.qs

    def get_filterset_class(
        self, view: APIView, queryset: QuerySet | None = None
    ) -> type[BaseFilterSet] | None:
        filterset_class = getattr(view, "filterset_class", None) or getattr(view, "filter_class", None)
        if filterset_class is not None:
            model = filterset_class._meta.model
            if model is not None and queryset is not None and not issubclass(queryset.model, model):
                raise TypeError(
                    f"{filterset_class.__name__} filters {model.__name__}, not {queryset.model.__name__}."
                )
            return filterset_class
        if getattr(view, "filterset_fields", None) is None or queryset is None:
            return None
        key = (type(view), queryset.model)
        if key not in self._auto_classes:  # one generated class per view, not one per request
            self._auto_classes[key] = super().get_filterset_class(view, queryset)
        return self._auto_classes[key]

    def get_known_params(self, view: APIView) -> Container[str]:
        """Query parameters that are not filters but are allowed on this view.

        The paginator's, DRF's ``format``, the fields of the view's ``query_serializer_class``
        (``kit.views.APIView``) and the names in the view's ``extra_query_params``.
        """
        paginator = getattr(view, "paginator", None)
        pagination = [getattr(paginator, name, None) for name in PAGINATION_PARAM_ATTRIBUTES]
        query_serializer = getattr(view, "query_serializer_class", None)
        serialized = _serializer_fields(query_serializer) if query_serializer is not None else ()
        extra: Any = getattr(view, "extra_query_params", ())
        return known_names([pagination, [api_settings.URL_FORMAT_OVERRIDE], serialized, extra])


_BACKEND_HOOKS = ("get_filterset", "get_filterset_kwargs")


@cache
def _serializer_fields(serializer_class: type[Serializer]) -> tuple[str, ...]:
    return tuple(serializer_class().fields)
