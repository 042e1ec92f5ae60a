"""``ModelView``: DRF's ``GenericAPIView`` configured by a model, a filter class and an ordering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework.generics import GenericAPIView
from rest_framework.serializers import BaseSerializer

from kit.api.list_rules import default_ordering, is_detail_request
from kit.overrides import user_override
from kit.serializers.generated import model_serializer_class
from kit.views.base import APIView
from kit.views.events import record_view


class ModelView(GenericAPIView, APIView):
    """The base of the kit's model views (combine it with the mixins, or use the generic views).

    Attributes, all optional except ``model`` or ``queryset``:

    - ``model``: the model; alone it is enough (``queryset`` and the serializer follow from it);
    - ``queryset``: the base queryset (sets ``model`` when given alone);
    - ``serializer_class``: defaults to a ``ModelSerializer`` over all fields of ``model``;
    - ``filter_class``: a ``kit.filters.ModelFilter`` (django-filter ``FilterSet``) for lists;
    - ``pagination_class``, ``lookup_field``, ``lookup_url_kwarg``: as in DRF;
    - ``ordering``: the default list ordering (else the model's, else newest first by primary key);
    - ``resource``, ``permissions``: read by the kit's authorization;
    - ``publish_events``: publish live events of creates, updates and deletes (None: as the KIT
      option ``PUBLISH_EVENTS`` says), see :mod:`kit.views.events`.

    Filters apply to lists only, never to the lookup of a single object.
    """

    model: type[Model] | None = None
    filter_class: type | None = None
    ordering: Sequence[str] | None = None
    publish_events: bool | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = cls.__dict__
        if "model" in declared and "queryset" not in declared and cls.model is not None:
            cls.queryset = cls.model._default_manager.all()
        elif "queryset" in declared and "model" not in declared and cls.queryset is not None:
            cls.model = cls.queryset.model
        record_view(cls)

    @property
    def filterset_class(self) -> type | None:
        """``filter_class`` under the name django-filter's backend looks for."""
        return self.filter_class

    def get_queryset(self) -> QuerySet:
        queryset: Any = getattr(self, "queryset", None)
        if not isinstance(queryset, QuerySet):
            return super().get_queryset()  # DRF's assertion, or a non-queryset iterable
        if self.ordering or not queryset.ordered:
            return _ordered(type(self), queryset, default_ordering(self)).all()
        return queryset.all()

    def get_serializer_class(self) -> type[BaseSerializer]:
        if self.serializer_class is None and self.model is not None:
            return model_serializer_class(self.model)
        return super().get_serializer_class()

    def get_body_serializer_class(self) -> type[BaseSerializer] | None:
        """``body_serializer_class``, else ``serializer_class``, else the model's generated one.

        Read from the class attributes: ``get_serializer_class()`` may need the request.
        """
        if self.body_serializer_class is not None or self.serializer_class is not None:
            return self.body_serializer_class or self.serializer_class
        return model_serializer_class(self.model) if self.model is not None else None

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if is_detail_request(self):
            return queryset
        return super().filter_queryset(queryset)


def _ordered(view_class: type, queryset: QuerySet, ordering: tuple[str, ...]) -> QuerySet:
    """``queryset.order_by(*ordering)``, made once per view class while both stay the same.

    Never evaluated: callers take a copy (``.all()``). ``order_by`` checks the field names, which
    costs about as much as a copy: a list request need not repeat it. A queryset or query class with
    its own ordering methods orders for each request.
    """
    if user_override(type(queryset), _QUERYSET_HOOKS) or user_override(type(queryset.query), _QUERY_HOOKS):
        return queryset.order_by(*ordering)  # a project's own ordering code runs for each request
    made = view_class.__dict__.get("_kit_ordered_queryset")
    if made is not None and made[0] is queryset and made[1] == ordering:
        ordered: QuerySet = made[2]
        return ordered
    ordered = queryset.order_by(*ordering)
    view_class._kit_ordered_queryset = (queryset, ordering, ordered)  # type: ignore[attr-defined]
    return ordered


_QUERYSET_HOOKS = ("order_by", "_chain", "_clone")
_QUERY_HOOKS = ("clear_ordering", "add_ordering", "chain", "clone")
