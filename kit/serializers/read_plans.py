"""Read plans: DRF's output for plain model fields, straight from database rows.

A :class:`ReadPlan` is made once per serializer class. It exists when every readable field of the
serializer reads one concrete column of its model and renders it from the value alone (no request,
no context, no related object): text, numbers, booleans, dates and times, decimals, UUIDs, JSON,
choices, and foreign keys shown as their id. Then a list is read with ``values_list()`` (no model
instances) and each row becomes a dict through a function compiled for the serializer, calling the
same DRF field ``to_representation`` the serializer would, so the output is DRF's, byte for byte.
A queryset selecting its model's columns (no ``only()``, ``defer()`` or ``extra(select=...)``, the
usual case) is read as tuples of those columns as they are, with no ``values_list()`` to resolve;
any other through ``values_list()`` of the planned columns. On SQLite, datetime columns are read
straight as DRF's text when the time zone is UTC (:mod:`kit.serializers.sqlite_datetimes`).

Anything else (a ``SerializerMethodField``, a nested serializer, a dotted ``source``, a property,
a serializer hook of the project's own (``to_representation``, ``__init__``, ``get_fields``,
``many_init``...), a ``Meta.list_serializer_class``, a model whose ``from_db``, ``__init__`` or
field attributes are its own) has no plan: DRF serializes (:mod:`kit.overrides`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable
from django.dispatch import receiver
from rest_framework import fields, relations, serializers
from rest_framework.settings import api_settings

from kit.overrides import user_override
from kit.serializers.converters import Converter, converter, per_list, represents_iso_datetimes
from kit.serializers.sqlite_datetimes import utc_text_rows

Row = tuple[Any, ...]
Represent = Callable[[Row, tuple[Any, ...]], dict[str, Any]]  # (row, per-list values) -> output
RepresentAll = Callable[[Iterable[Row]], list[dict[str, Any]]]

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
_INTEGERS = (
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.SmallIntegerField,
)
_UNCHANGED: dict[type[fields.Field], tuple[type[models.Field], ...]] = {
    fields.CharField: (models.CharField, models.TextField),
    fields.EmailField: (models.EmailField,),
    fields.SlugField: (models.SlugField,),
    fields.URLField: (models.URLField,),
    fields.IntegerField: _INTEGERS,
    fields.BigIntegerField: _INTEGERS,  # unless it coerces to strings
    fields.BooleanField: (models.BooleanField,),
}

#: Serializer hooks DRF runs for a list; a project's own takes DRF's path.
_SERIALIZER_HOOKS = ("__new__", "__init__", "many_init", "get_fields", "fields", "to_representation")
#: Model hooks making the attributes DRF reads; a project's own may change them from the columns.
_MODEL_HOOKS = ("from_db", "__init__", "__getattribute__")


@dataclass(frozen=True)
class ReadPlan:
    """How to render a serializer's output from a ``values_list()`` row of its model."""

    model: type[Model]
    names: tuple[str, ...]
    columns: tuple[str, ...]
    converters: tuple[Converter | None, ...]
    #: What the converters take once per list (the current time zone, ...): a ``represent``
    #: function's second argument is their results, in this order.
    per_list: tuple[Callable[[], Any], ...]
    #: The output of a ``values_list()`` row of ``columns``.
    represent: Represent
    #: The output of a row of all the model's concrete fields (its default ``SELECT``).
    represent_model_row: Represent
    #: ``represent`` for the attributes of an instance, which need not have their column's type
    #: (``Item(name=5)``, ``BooleanField(default=1)``): no value is taken as it is.
    represent_attributes: Represent
    #: How ``represent_model_row`` and ``represent`` rows are read (``ValuesListIterable``, or
    #: one giving datetime columns as DRF's text).
    model_rows: type[ValuesListIterable]
    column_rows: type[ValuesListIterable]

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

    def read(self, queryset: QuerySet) -> tuple[QuerySet, RepresentAll]:
        """``queryset`` reading tuples, and the function giving the serializer's output for its rows.

        Call it on a queryset :meth:`can_read`. One selecting its model's columns is read as they
        are (the plan picks its own); any other reads only the planned columns.
        """
        query = queryset.query
        if (
            queryset.model._meta.concrete_model is self.model._meta.concrete_model
            and query.default_cols
            and getattr(query, "selected", None) is None
            and not query.extra_select
            and query.deferred_loading == _NOTHING_DEFERRED
        ):
            rows = queryset.select_related(None) if query.select_related else queryset.all()
            rows._iterable_class = self.model_rows  # what values_list() sets, without its fields
            return rows, partial(self._represent_all, self.represent_model_row)
        rows = queryset.values_list(*self.columns)
        rows._iterable_class = self.column_rows
        return rows, partial(self._represent_all, self.represent)

    def represent_instance(self, instance: Model) -> dict[str, Any]:
        """The serializer's output for a model instance."""
        row = tuple(getattr(instance, column) for column in self.columns)
        return self.represent_attributes(row, tuple(make() for make in self.per_list))

    def _represent_all(self, represent: Represent, rows: Iterable[Row]) -> list[dict[str, Any]]:
        state = tuple(make() for make in self.per_list)
        return [represent(row, state) for row in rows]


#: ``Query.deferred_loading`` of a queryset without ``only()`` or ``defer()``.
_NOTHING_DEFERRED: tuple[frozenset[str], bool] = (frozenset(), True)


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
    concrete = [field.attname for field in model._meta.concrete_fields]
    positions = tuple(concrete.index(column) for column in columns)
    made = (per_list(convert) for convert in converters if convert is not None)
    makers = tuple(dict.fromkeys(make for make in made if make is not None))
    # Datetime columns read as text: those no other field reads (it would need the datetime).
    others = {
        column
        for column, convert in zip(columns, converters, strict=True)
        if not represents_iso_datetimes(convert)
    }
    datetimes = [index for index, column in enumerate(columns) if column not in others]
    return ReadPlan(
        model,
        names,
        columns,
        converters,
        makers,
        represent=_compile(names, converters, range(len(columns)), makers),
        represent_model_row=_compile(names, converters, positions, makers),
        represent_attributes=_compile(names, exact, range(len(columns)), makers),
        model_rows=utc_text_rows({positions[index]: columns[index] for index in datetimes}),
        column_rows=utc_text_rows({index: columns[index] for index in datetimes}),
    )


def _is_plain_model_serializer(serializer_class: type[serializers.BaseSerializer]) -> bool:
    if not (isinstance(serializer_class, type) and issubclass(serializer_class, serializers.ModelSerializer)):
        return False
    meta = getattr(serializer_class, "Meta", None)
    if getattr(meta, "list_serializer_class", serializers.ListSerializer) is not serializers.ListSerializer:
        return False  # lists are the list serializer's own
    model = getattr(meta, "model", None)
    return (
        isinstance(model, type)
        and user_override(serializer_class, _SERIALIZER_HOOKS) is None
        and user_override(model, _MODEL_HOOKS) is None
    )


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
    if user_override(type(getattr(model, model_field.attname, None)), ("__get__",)) is not None:
        return None  # the attribute is not the column's (a property, a descriptor of the project's)
    if type(field) is relations.PrimaryKeyRelatedField:
        # DRF's pk-only optimisation: the foreign key column's value, answered as it is.
        return (model_field.attname, None) if model_field.many_to_one and field.pk_field is None else None
    if model_field.is_relation or type(field) not in CONTEXT_FREE_FIELDS:
        return None
    if _answers_values_unchanged(field, model_field):
        return model_field.attname, None
    return model_field.attname, converter(field)


def _answers_values_unchanged(field: fields.Field, model_field: models.Field) -> bool:
    if type(field) is fields.ReadOnlyField:
        return True
    if type(field) is fields.BigIntegerField and getattr(
        field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING
    ):
        return False
    return type(model_field) in _UNCHANGED.get(type(field), ())


def _compile(
    names: tuple[str, ...],
    converters: tuple[Converter | None, ...],
    positions: Iterable[int],
    makers: tuple[Callable[[], Any], ...],
) -> Represent:
    """A function turning a row into the output dict, written out for these fields (no loop).

    The value of ``names[i]`` is ``row[positions[i]]``; its second argument holds the results of
    ``makers`` (each converter's :func:`~kit.serializers.converters.per_list`).
    """
    items = []
    for index, (name, convert, position) in enumerate(zip(names, converters, positions, strict=True)):
        value = f"row[{position}]"
        if convert is not None:
            make = per_list(convert)
            arguments = f"{value}, state[{makers.index(make)}]" if make is not None else value
            value = f"None if {value} is None else convert_{index}({arguments})"
        items.append(f"{name!r}: {value}")
    source = "def represent(row, state):\n    return {" + ", ".join(items) + "}\n"
    namespace: dict[str, Any] = {f"convert_{index}": c for index, c in enumerate(converters) if c is not None}
    exec(compile(source, "<kit read plan>", "exec"), namespace)  # noqa: S102 - names are repr()-quoted
    represent: Represent = namespace["represent"]
    return represent
