"""``ModelFilter``: a django-filter ``FilterSet`` declared with the kit's operators.

.. code-block:: python

    class ItemFilter(ModelFilter):
        owner = FieldFilter(field="owner__username", operator=ILIKE)

        class Meta:
            model = Item
            fields = {"name": (EQ, REGEXP, NOT, ILIKE), "count": (GT, GE, LT, LE)}
            ordering_fields = ["name", "count"]

gives the query parameters ``name``, ``name__regexp``, ``name__not``, ``name__ilike``,
``count__gt`` ... ``owner`` and ``ordering``. Plain django-filter declarations
(``CharFilter(field_name="name", lookup_expr="iexact")``, Django lookups in ``Meta.fields``) work
too. A foreign key filters by the referenced id (no query to load the related row).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django_filters import filters
from django_filters.rest_framework import FilterSet
from django_filters.utils import get_model_field, resolve_field

from kit.filters import operators, values
from kit.filters.lookups import escape_like

ORDERING_PARAM = "ordering"

_OPERATOR_LABELS = {
    operators.EQ: "equals",
    operators.NOT: "differs from",
    operators.GT: "is greater than",
    operators.GE: "is greater than or equal to",
    operators.LT: "is less than",
    operators.LE: "is less than or equal to",
    operators.IN: "is one of (comma-separated values)",
    operators.ISNULL: "is null (true or false)",
    operators.LIKE: "matches the LIKE pattern (% any run, _ one character, \\ escapes; case-sensitive)",
    operators.ILIKE: "matches the LIKE pattern (% any run, _ one character, \\ escapes; ignores case)",
    operators.REGEXP: "matches the regular expression (case-sensitive)",
    operators.IREGEXP: "matches the regular expression (ignores case)",
    operators.CONTAINS: "contains (case-sensitive)",
    operators.ICONTAINS: "contains (ignores case)",
    operators.STARTSWITH: "starts with (case-sensitive)",
    operators.ENDSWITH: "ends with (case-sensitive)",
    operators.RANGE: "is between two comma-separated values (inclusive)",
}


class PatternFilter(filters.CharFilter):
    """A ``like``/``ilike`` filter; with a ``template`` the value is escaped into it (CONTAINS...)."""

    def __init__(self, *args: Any, template: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template = template

    def to_pattern(self, value: str) -> str:
        return self.template.format(escape_like(value)) if self.template else value

    def filter(self, qs: models.QuerySet, value: Any) -> models.QuerySet:
        return super().filter(qs, self.to_pattern(value) if value else value)


#: The operators a ``JSONField`` takes (any other would silently query a JSON key of its name).
JSON_OPERATORS = frozenset({operators.CONTAINS})


class JSONElementField(forms.CharField):
    """A form field reading an element of a JSON array (:func:`kit.filters.values.parse_json_element`)."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return values.parse_json_element(text)
        except values.InvalidValue as exc:
            raise ValidationError(str(exc), code=exc.code) from None


class JSONElementFilter(filters.CharFilter):
    """CONTAINS on a ``JSONField``: the JSON array holds the element (the ``has_element`` lookup).

    A ``CharFilter`` for the OpenAPI document (the parameter is text); its field reads the element.
    """

    field_class = JSONElementField

    operator_label = (
        "is an array holding the element (a JSON number, true, false or a quoted string; other text "
        "is a string)"
    )


class FieldFilter(filters.Filter):
    """One filter declared by field and operator: ``name = FieldFilter(field="name", operator=ILIKE)``.

    Replaced, when the filter class is created, by the filter the operator gives for the model
    field (typed like the generated ones). ``field`` defaults to the attribute name.
    """

    def __init__(self, field: str | None = None, operator: str = operators.EQ, **kwargs: Any) -> None:
        super().__init__(field_name=field, lookup_expr=operator, **kwargs)
        self.operator = operator


def target_field(field: models.Field) -> models.Field:
    """The column a value is compared with: a forward foreign key's referenced field, else ``field``."""
    while isinstance(field, models.ForeignKey):  # OneToOneField is a ForeignKey
        field = field.target_field
    return field


class ModelFilter(FilterSet):
    """A FilterSet whose ``Meta.fields`` take :mod:`kit.filters.operators`; adds ``ordering``.

    ``Meta.ordering_fields``: the names ``?ordering=`` accepts (a list, or a mapping of public name
    to ORM path); default: the filtered fields. ``Meta.ordering_fields = []`` disables ordering.
    """

    ordering_param: ClassVar[str] = ORDERING_PARAM

    @classmethod
    def get_filter_name(cls, field_name: str, lookup_expr: str) -> str:
        if lookup_expr == operators.EQ:
            return field_name
        return super().get_filter_name(field_name, lookup_expr)

    @classmethod
    def filter_for_field(
        cls, field: models.Field, field_name: str, lookup_expr: str | None = None
    ) -> filters.Filter:
        operator = lookup_expr or operators.EQ
        lookup = operators.LOOKUPS.get(operator, operator)
        column = target_field(field)
        if isinstance(column, models.JSONField) and operator in operators.LOOKUPS:
            if operator not in JSON_OPERATORS:
                allowed = ", ".join(sorted(name.upper() for name in JSON_OPERATORS))
                raise TypeError(
                    f"{cls.__name__}: operator {operator.upper()} does not apply to the JSONField "
                    f"{field_name!r} (it takes {allowed})."
                )
            if operator == operators.CONTAINS:
                lookup = "has_element"
        if lookup == "has_element":
            filter_: filters.Filter = JSONElementFilter(field_name=field_name, lookup_expr=lookup)
        elif lookup in ("like", "ilike"):
            resolve_field(column, lookup)  # raises for fields without the lookup
            filter_ = PatternFilter(
                field_name=field_name, lookup_expr=lookup, template=operators.PATTERN_TEMPLATES.get(operator)
            )
        else:
            filter_ = super().filter_for_field(column, field_name, lookup)
        filter_.exclude = operator in operators.EXCLUDING
        if operator in _OPERATOR_LABELS:  # the label describes the parameter in OpenAPI too
            label = getattr(filter_, "operator_label", None) or _OPERATOR_LABELS[operator]
            filter_.label = f"{field_name.replace(LOOKUP_SEP, '.')} {label}"
            filter_.extra["help_text"] = filter_.label
        filter_.operator = operator if operator in operators.LOOKUPS else None
        return filter_

    @classmethod
    def get_filters(cls) -> dict[str, filters.Filter]:
        found = super().get_filters()
        if cls._meta.model is None:
            return found
        for name, filter_ in list(found.items()):
            if isinstance(filter_, FieldFilter):
                found[name] = cls._resolve_field_filter(name, filter_)
        if cls.ordering_param not in found:
            ordering = cls.get_ordering_fields(found)
            if ordering:
                found[cls.ordering_param] = filters.OrderingFilter(fields=ordering)
        return found

    @classmethod
    def _resolve_field_filter(cls, name: str, declared: FieldFilter) -> filters.Filter:
        model_field = get_model_field(cls._meta.model, declared.field_name)
        if model_field is None:
            raise TypeError(f"{cls.__name__}.{name}: {declared.field_name!r} is not a field of the model.")
        filter_ = cls.filter_for_field(model_field, declared.field_name, declared.operator)
        filter_.extra.update(declared.extra)
        if declared._label is not None:
            filter_.label = declared._label
        return filter_

    @classmethod
    def get_ordering_fields(cls, found: Mapping[str, filters.Filter]) -> dict[str, str]:
        """``{ORM path: public name}`` for the ``ordering`` filter."""
        declared = getattr(cls.Meta, "ordering_fields", None)
        if declared is not None:
            pairs: Iterable[tuple[str, str]] = (
                ((path, name) for name, path in declared.items())
                if isinstance(declared, Mapping)
                else ((name, name) for name in declared)
            )
            return dict(pairs)
        ordering: dict[str, str] = {}
        for filter_ in found.values():
            name = filter_.field_name
            if not name or filter_.method is not None or name in ordering.values():
                continue
            field = get_model_field(cls._meta.model, name)
            if isinstance(field, models.Field) and not field.many_to_many and not field.one_to_many:
                path = field.attname if field.is_relation and LOOKUP_SEP not in name else name
                ordering[path] = name
        return ordering
