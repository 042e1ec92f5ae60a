"""Read plans: DRF's output for plain model fields, straight from database rows.

A :class:`ReadPlan` is made once per serializer class. It exists when every readable field of the
serializer reads one concrete column of its model and renders it from the value alone (no request,
no context, no related object): text, numbers, booleans, dates and times, decimals, UUIDs, JSON,
choices, and foreign keys shown as their id. Then a list is read with ``values_list()`` (no model
instances) and each row becomes a dict through a function compiled for the serializer, calling the
same DRF field ``to_representation`` the serializer would, so the output is DRF's, byte for byte.

Anything else (a ``SerializerMethodField``, a nested serializer, a dotted ``source``, a property,
an overridden ``to_representation``, ``__init__``, ``get_fields`` or ``many_init``, a
``Meta.list_serializer_class``) has no plan: DRF serializes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable
from django.dispatch import receiver
from django.utils import timezone
from rest_framework import fields, relations, serializers

from kit.views.converters import Converter, converter, wants_timezone

Row = tuple[Any, ...]

#: DRF field classes whose ``to_representation`` depends on the value alone (exact classes: a
#: subclass may override it).
CONTEXT_FREE_FIELDS: frozenset[type[fields.Field]] = frozenset(
    {
        fields.BigIntegerField,
        fields.BooleanField,
        fields.CharField,
        fields.ChoiceField,
        fields.DateField,
        fields.DateTimeField,
        fields.DecimalField,
        fields.DurationField,
        fields.EmailField,
        fields.FloatField,
        fields.IntegerField,
        fields.IPAddressField,
        fields.JSONField,
        fields.ReadOnlyField,
        fields.RegexField,
        fields.SlugField,
        fields.TimeField,
        fields.URLField,
        fields.UUIDField,
    }
)

#: Model fields whose database values these serializer fields answer unchanged (``str()`` of a
#: string, ``int()`` of an integer, ``bool()`` of a boolean, ``ReadOnlyField`` always): no call
#: is needed for rows. Exact model field classes: a custom subclass may convert its values.
_UNCHANGED: dict[type[fields.Field], tuple[type[models.Field], ...]] = {
    fields.CharField: (models.CharField, models.TextField),
    fields.EmailField: (models.EmailField,),
    fields.SlugField: (models.SlugField,),
    fields.URLField: (models.URLField,),
    fields.IntegerField: (
        models.AutoField,
        models.BigAutoField,
        models.BigIntegerField,
        models.IntegerField,
        models.PositiveIntegerField,
        models.SmallIntegerField,
    ),
    fields.BooleanField: (models.BooleanField,),
}

_SERIALIZER_HOOKS = ("__init__", "get_fields", "fields", "to_representation", "many_init")


@dataclass(frozen=True)
class ReadPlan:
    """How to render a serializer's output from a ``values_list()`` row of its model."""

    model: type[Model]
    names: tuple[str, ...]
    columns: tuple[str, ...]
    converters: tuple[Converter | None, ...]
    represent: Callable[[Row, tzinfo], dict[str, Any]]
    #: ``represent`` for the attributes of an instance, which need not have their column's type
    #: (``Item(name=5)``, ``BooleanField(default=1)``): no value is taken as it is.
    represent_attributes: Callable[[Row, tzinfo], dict[str, Any]]

    def can_read(self, queryset: QuerySet) -> bool:
        """Whether ``queryset`` can be read as rows: a queryset of the plan's model, no prefetching.

        A ``distinct()`` queryset, or one combined by ``union()``, ``intersection()`` or
        ``difference()``, is read as rows only when the plan reads the primary key: distinct rows of
        fewer columns would merge objects.
        """
        return (
            isinstance(queryset, QuerySet)  # ``get_queryset()`` may answer a list
            and queryset._iterable_class is ModelIterable
            and not queryset._prefetch_related_lookups  # type: ignore[attr-defined]
            and issubclass(queryset.model, self.model)
            and (
                not (queryset.query.distinct or queryset.query.combinator)
                or self.model._meta.pk.attname in self.columns
            )
        )

    def values(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` reading only the planned columns, as tuples."""
        return queryset.values_list(*self.columns)

    def represent_all(self, rows: Iterable[Row]) -> list[dict[str, Any]]:
        """The serializer's output for each row."""
        represent, current_timezone = self.represent, timezone.get_current_timezone()
        return [represent(row, current_timezone) for row in rows]

    def represent_instance(self, instance: Model) -> dict[str, Any]:
        """The serializer's output for a model instance."""
        row = tuple(getattr(instance, column) for column in self.columns)
        return self.represent_attributes(row, timezone.get_current_timezone())


@lru_cache(maxsize=1024)  # bounded: a view may make serializer classes on the fly, per request
def read_plan(serializer_class: type[serializers.BaseSerializer]) -> ReadPlan | None:
    """The plan of ``serializer_class`` (made once), or None when DRF must serialize."""
    return _make_plan(serializer_class)


@receiver(setting_changed)
def _forget_plans(*, setting: str, **kwargs: Any) -> None:
    if setting in ("REST_FRAMEWORK", "USE_TZ", "TIME_ZONE"):
        read_plan.cache_clear()


def _make_plan(serializer_class: type[serializers.BaseSerializer]) -> ReadPlan | None:
    if not _is_plain_model_serializer(serializer_class):
        return None
    model = serializer_class.Meta.model  # type: ignore[attr-defined]
    try:
        serializer: Any = serializer_class()
        readable = [field for field in serializer.fields.values() if not field.write_only]
    except Exception:  # a serializer that cannot be built without context is not plain
        return None
    steps = [_step(field, model) for field in readable]
    if not steps or any(step is None for step in steps):
        return None
    names = tuple(str(field.field_name) for field in readable)
    columns = tuple(step[0] for step in steps if step)
    converters = tuple(step[1] for step in steps if step)
    exact = tuple(
        field.to_representation if convert is None and type(field) in _UNCHANGED else convert
        for field, convert in zip(readable, converters, strict=True)
    )
    return ReadPlan(model, names, columns, converters, _compile(names, converters), _compile(names, exact))


def _is_plain_model_serializer(serializer_class: type[serializers.BaseSerializer]) -> bool:
    if not (isinstance(serializer_class, type) and issubclass(serializer_class, serializers.ModelSerializer)):
        return False
    meta = getattr(serializer_class, "Meta", None)
    if getattr(meta, "list_serializer_class", serializers.ListSerializer) is not serializers.ListSerializer:
        return False  # lists are the list serializer's own
    for name in _SERIALIZER_HOOKS:
        owner = next(klass for klass in serializer_class.__mro__ if name in klass.__dict__)
        if not owner.__module__.startswith(("rest_framework.", "kit.views.")):
            return False
    return True


def _step(field: fields.Field, model: type[Model]) -> tuple[str, Converter | None] | None:
    """The column a field reads and the converter of its value, or None when it has no plan."""
    if len(field.source_attrs) != 1:
        return None
    try:
        model_field = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return None  # a property or method of the model
    if not model_field.concrete or model_field.many_to_many:
        return None
    if type(field) is relations.PrimaryKeyRelatedField:
        # DRF's pk-only optimisation: the foreign key column's value, answered as it is.
        return (model_field.attname, None) if model_field.many_to_one and field.pk_field is None else None
    if model_field.is_relation or type(field) not in CONTEXT_FREE_FIELDS:
        return None
    if type(field) is fields.ReadOnlyField or type(model_field) in _UNCHANGED.get(type(field), ()):
        return model_field.attname, None
    return model_field.attname, converter(field)


def _compile(
    names: tuple[str, ...], converters: tuple[Converter | None, ...]
) -> Callable[[Row, tzinfo], dict[str, Any]]:
    """A function turning a row into the output dict, written out for these fields (no loop)."""
    items = []
    for index, (name, convert) in enumerate(zip(names, converters, strict=True)):
        value = f"row[{index}]"
        if convert is not None:
            arguments = f"{value}, current_timezone" if wants_timezone(convert) else value
            value = f"None if {value} is None else convert_{index}({arguments})"
        items.append(f"{name!r}: {value}")
    source = "def represent(row, current_timezone):\n    return {" + ", ".join(items) + "}\n"
    namespace: dict[str, Any] = {f"convert_{index}": c for index, c in enumerate(converters) if c is not None}
    exec(compile(source, "<kit read plan>", "exec"), namespace)  # noqa: S102 - names are repr()-quoted
    represent: Callable[[Row, tzinfo], dict[str, Any]] = namespace["represent"]
    return represent
