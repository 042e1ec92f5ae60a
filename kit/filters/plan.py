"""A filter class's query parameters, prepared once per class and reused by every request.

django-filter builds a Django form (fields, widgets, labels) for every request; a
:class:`FilterPlan` instead maps each query parameter to a small parser and a Django lookup when
the filter class is first used. Parsing a request is then a dictionary walk; every problem with
the query string is collected and raised together as one ``invalid_filter`` problem.

A filter class with per-request hooks of its own (``__init__``, ``qs``, ``filter_queryset``,
``form``, ``get_form_class``, ``is_valid``, ``errors`` or a ``Meta.form``) keeps django-filter's
path: the plan then only checks the parameters' names (:attr:`FilterPlan.hook`). A filter of the
project's own class (its ``filter``, ``field`` or ``field_class``) parses with its form field and
filters itself; a ``method`` runs on a filter class instance that has the request's data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, models, router
from django.forms.utils import ErrorDict
from django.utils.datastructures import MultiValueDict
from django_filters import filters
from django_filters.filterset import BaseFilterSet
from django_filters.utils import get_model_field
from rest_framework.request import Request
from rest_framework.settings import api_settings

from kit.errors.exceptions import InvalidFilter
from kit.filters import values
from kit.filters.filterset import JSONElementFilter, PatternFilter, target_field
from kit.filters.regex import InvalidPattern, validate_regex
from kit.overrides import user_override

MAX_LIST_VALUES = 100
_PLAIN_FILTER_METHODS = (filters.Filter.filter, PatternFilter.filter)
#: FilterSet hooks django-filter runs for each request: a project's own keeps django-filter's path.
FILTERSET_HOOKS = ("__init__", "qs", "filter_queryset", "form", "get_form_class", "is_valid", "errors")
#: Filter hooks: a filter of a project's own class parses with its form field and filters itself.
FILTER_HOOKS = ("filter", "field", "field_class")


@dataclass(frozen=True, slots=True)
class ParamFilter:
    """One filter of the class: the query parameters it reads and how to parse and apply them."""

    name: str
    filter: filters.Filter
    params: tuple[str, ...]
    parse: values.Parser | None  # None: the filter's form field parses (rare filter types)
    lookup: str | None  # ``field__lookup`` for QuerySet.filter; None: the filter applies itself

    @classmethod
    def build(cls, name: str, filter_: filters.Filter, model: type[models.Model] | None) -> ParamFilter:
        own = user_override(type(filter_), FILTER_HOOKS) is not None
        parse = None if own else _parser_for(filter_, model)
        plain = parse is not None and filter_.method is None
        plain = plain and type(filter_).filter in _PLAIN_FILTER_METHODS
        lookup = f"{filter_.field_name}__{filter_.lookup_expr}" if plain else None
        return cls(name, filter_, _param_names(name, filter_), parse, lookup)


@dataclass(slots=True)
class ParsedQuery:
    """The result of parsing a query string: filter values, ordering and problems."""

    values: list[tuple[ParamFilter, Any]] = field(default_factory=list)
    ordering: list[str] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)

    def error(self, param: str, code: str, detail: str) -> None:
        self.errors.append({"attr": param, "code": code, "detail": detail, "parameter": param})

    def add_form_errors(self, errors: Mapping[str, Any]) -> None:
        """A filter class's ``errors`` (django-filter's path), one entry per message; an invalid
        class without any gets one all the same."""
        found = (
            errors.as_data() if isinstance(errors, ErrorDict) else ValidationError(dict(errors)).error_dict
        )
        for name, entries in found.items():
            param = api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name
            for error in entries:
                self.error(param, error.code or "invalid", " ".join(error.messages))
        if not self.errors:
            self.error(api_settings.NON_FIELD_ERRORS_KEY, "invalid", "Invalid query parameters.")

    def raise_errors(self) -> None:
        """Raise the problems found, if any, as one ``invalid_filter``."""
        if self.errors:
            names = ", ".join(dict.fromkeys(error["attr"] for error in self.errors))
            raise InvalidFilter(f"Invalid query parameters: {names}.", errors=self.errors)


class FilterPlan:
    """The prepared query parameters of one FilterSet class (see :meth:`for_class`)."""

    _plans: dict[type[BaseFilterSet] | None, FilterPlan] = {}
    _lock = threading.Lock()

    def __init__(self, filterset_class: type[BaseFilterSet] | None) -> None:
        self.filterset_class = filterset_class
        self.filters: dict[str, ParamFilter] = {}
        self.ordering: filters.OrderingFilter | None = None
        self.ordering_param = "ordering"
        self.required: list[ParamFilter] = []
        #: The filter class's own per-request hook (``"ItemFilter.qs"``), or None: django-filter's
        #: path filters when there is one.
        self.hook: str | None = None
        if filterset_class is None:
            return
        self.hook = user_override(filterset_class, FILTERSET_HOOKS)
        if self.hook is None and filterset_class._meta.form is not forms.Form:
            self.hook = f"{filterset_class.__qualname__}.Meta.form"
        model = filterset_class._meta.model
        self.ordering_param = getattr(filterset_class, "ordering_param", "ordering")
        for name, filter_ in filterset_class.base_filters.items():
            if isinstance(filter_, filters.OrderingFilter) and name == self.ordering_param:
                self.ordering = filter_
                continue
            item = ParamFilter.build(name, filter_, model)
            for param in item.params:
                self.filters[param] = item
        self.required = [item for item in self.filters.values() if item.filter.extra.get("required")]

    @classmethod
    def for_class(cls, filterset_class: type[BaseFilterSet] | None) -> FilterPlan:
        """The plan of ``filterset_class`` (None: a view without filters), built on first use."""
        try:
            return cls._plans[filterset_class]
        except KeyError:
            with cls._lock:
                return cls._plans.setdefault(filterset_class, cls(filterset_class))

    def parse(
        self, params: MultiValueDict, known: Callable[[], Container[str]], *, values: bool = True
    ) -> ParsedQuery:
        """Parse ``params``; names neither filtered here nor in ``known()`` are errors.

        ``values=False`` checks the names only (unknown or repeated), for django-filter's path.
        """
        query = ParsedQuery()
        others: Container[str] | None = None
        seen: set[int] = set()
        for name, raws in params.lists():
            item = self.filters.get(name)
            if item is None:
                if name == self.ordering_param:
                    if values:
                        self._parse_ordering(name, raws, query)
                    elif len(raws) > 1:
                        query.error(name, "repeated_parameter", "Give this parameter once.")
                    continue
                others = known() if others is None else others
                if name not in others:
                    query.error(name, "unknown_parameter", f"Unknown query parameter {name!r}.")
                continue
            if len(raws) > 1:
                query.error(name, "repeated_parameter", "Give this parameter once.")
                continue
            if id(item) in seen:
                continue
            seen.add(id(item))
            if values:
                self._parse_value(item, params, raws[0], query)
        for item in self.required if values else ():
            if id(item) not in seen:
                query.error(item.name, "required", "This query parameter is required.")
        return query

    def _parse_value(self, item: ParamFilter, params: MultiValueDict, raw: str, query: ParsedQuery) -> None:
        try:
            if raw == "":
                raise values.InvalidValue("Give a value, or leave the parameter out.", "blank")
            value = item.parse(raw) if item.parse is not None else _clean_with_form_field(item, params)
        except values.InvalidValue as exc:
            query.error(item.name, exc.code, str(exc))
            return
        if value not in filters.EMPTY_VALUES:
            query.values.append((item, value))

    def _parse_ordering(self, name: str, raws: list[str], query: ParsedQuery) -> None:
        if len(raws) > 1:
            query.error(name, "repeated_parameter", "Give this parameter once.")
            return
        if raws[0] == "":
            query.error(name, "blank", "Give a value, or leave the parameter out.")
            return
        paths = self.ordering.param_map if self.ordering is not None else {}
        for term in raws[0].split(","):
            public = term[1:] if term.startswith("-") else term
            if public not in paths:
                allowed = ", ".join(paths) or "none"
                query.error(name, "invalid_ordering", f"Cannot order by {term!r}; allowed: {allowed}.")
                continue
            query.ordering.append(("-" if term.startswith("-") else "") + paths[public])

    def apply(self, query: ParsedQuery, queryset: models.QuerySet, request: Request) -> models.QuerySet:
        """Filter and order ``queryset`` with a parsed query (raises its errors, if any)."""
        query.raise_errors()
        lookups: dict[str, Any] = {}
        instance: BaseFilterSet | None = None
        distinct = False
        for item, value in query.values:
            distinct = distinct or item.filter.distinct
            lookup = item.lookup
            if lookup is not None and not item.filter.exclude:
                lookups[lookup] = value
            elif lookup is not None:
                queryset = queryset.exclude(**{lookup: value})
            else:
                if instance is None:
                    assert self.filterset_class is not None
                    # with the request's data: a ``method`` may read other parameters (``self.data``)
                    data = request.query_params
                    instance = self.filterset_class(data=data, queryset=queryset, request=request)
                queryset = instance.filters[item.name].filter(queryset, value)
        if lookups:
            queryset = queryset.filter(**lookups)
        if distinct:
            queryset = queryset.distinct()
        if query.ordering:
            queryset = queryset.order_by(*_with_tie_breaker(query.ordering))
        return queryset


def _with_tie_breaker(ordering: list[str]) -> list[str]:
    """Append ``-pk`` so that rows equal on the requested fields keep a stable order."""
    if any(term.lstrip("-") == "pk" for term in ordering):
        return ordering
    return [*ordering, "-pk"]


def _param_names(name: str, filter_: filters.Filter) -> tuple[str, ...]:
    suffixes = getattr(filter_.field_class.widget, "suffixes", None)
    if suffixes and not isinstance(filter_, filters.BaseCSVFilter):
        return tuple(f"{name}_{suffix}" if suffix else name for suffix in suffixes)
    return (name,)


def _clean_with_form_field(item: ParamFilter, params: MultiValueDict) -> Any:
    form_field = item.filter.field
    raw = form_field.widget.value_from_datadict(params, {}, item.name)
    try:
        return form_field.clean(raw)
    except ValidationError as exc:
        raise values.InvalidValue(" ".join(exc.messages), getattr(exc, "code", None) or "invalid") from None


def _parser_for(filter_: filters.Filter, model: type[models.Model] | None) -> values.Parser | None:
    if isinstance(filter_, filters.BaseCSVFilter):
        element = _scalar_parser(filter_, model)
        if element is None:
            return None
        exact = 2 if isinstance(filter_, filters.BaseRangeFilter) else None
        return _list_parser(element, exact)
    return _scalar_parser(filter_, model)


def _list_parser(element: values.Parser, exact: int | None) -> values.Parser:
    """Parse comma-separated values: ``exact`` of them (RANGE), else 1 to MAX_LIST_VALUES (IN)."""

    def parse_list(raw: str) -> list[Any]:
        parts = raw.split(",")
        if exact is not None and len(parts) != exact:
            raise values.InvalidValue(f"Give exactly {exact} comma-separated values.")
        if len(parts) > MAX_LIST_VALUES:
            raise values.InvalidValue(f"Give at most {MAX_LIST_VALUES} comma-separated values.")
        if "" in parts:
            raise values.InvalidValue("Empty value in the comma-separated list.")
        return [element(part) for part in parts]

    items = values.schema_of(element)
    if "pattern" in items:  # a comma separates values: no value contains one
        items["pattern"] = r"^[^\x00,]*$"
    count = {"minItems": exact or 1, "maxItems": exact or MAX_LIST_VALUES}
    return values.accepts(items=items, **count)(parse_list)


def _scalar_parser(filter_: filters.Filter, model: type[models.Model] | None) -> values.Parser | None:
    lookup = filter_.lookup_expr if isinstance(filter_.lookup_expr, str) else ""
    final = lookup.rsplit("__", 1)[-1]
    if final == "isnull" or isinstance(filter_, filters.BooleanFilter):
        return values.parse_boolean
    if isinstance(filter_, PatternFilter):
        return _pattern_parser(filter_)
    if isinstance(filter_, JSONElementFilter):
        return values.parse_json_element
    if final in ("regex", "iregex", "regexp", "iregexp"):
        return _regex_value
    if isinstance(filter_, filters.CharFilter):
        return values.parse_string
    if isinstance(filter_, filters.UUIDFilter):
        return values.parse_uuid
    if isinstance(filter_, filters.DateTimeFilter):
        return values.parse_datetime_value
    if isinstance(filter_, filters.DateFilter):
        return values.parse_date_value
    if isinstance(filter_, filters.TimeFilter):
        return values.parse_time_value
    if isinstance(filter_, filters.DurationFilter):
        return values.parse_duration_value
    if isinstance(filter_, filters.NumberFilter) and not isinstance(filter_, filters.ChoiceFilter):
        return _number_parser(filter_, model)
    return None


def _number_parser(filter_: filters.Filter, model: type[models.Model] | None) -> values.Parser:
    model_field = get_model_field(model, filter_.field_name) if model and filter_.field_name else None
    column = target_field(model_field) if isinstance(model_field, models.Field) else None
    if isinstance(column, models.DecimalField):
        return values.decimal_parser(column.max_digits, column.decimal_places)
    if isinstance(column, models.FloatField):
        return values.parse_float
    if isinstance(column, models.IntegerField):
        return values.integer_parser(*_integer_range(column))
    return values.decimal_parser(None, None)


def _integer_range(column: models.Field) -> tuple[int | None, int | None]:
    ranges = connections[router.db_for_read(column.model)].ops.integer_field_ranges
    return ranges.get(column.get_internal_type(), (-(2**63), 2**63 - 1))


def _pattern_parser(filter_: PatternFilter) -> values.Parser:
    def parse_pattern(raw: str) -> str:
        value = values.parse_string(raw)
        if filter_.template is None and _ends_with_escape(value):
            raise values.InvalidValue("The pattern ends with an unescaped backslash.", "invalid_pattern")
        return filter_.to_pattern(value)

    return values.accepts(**values.STRING_SCHEMA)(parse_pattern)


def _ends_with_escape(pattern: str) -> bool:
    return (len(pattern) - len(pattern.rstrip("\\"))) % 2 == 1


@values.accepts(**values.STRING_SCHEMA)  # which patterns compile is not in the document
def _regex_value(raw: str) -> str:
    value = values.parse_string(raw)
    try:
        return validate_regex(value)
    except InvalidPattern as exc:
        raise values.InvalidValue(str(exc), "invalid_pattern") from None


def known_names(groups: Iterable[Iterable[str | None]]) -> frozenset[str]:
    """The non-empty names of ``groups`` as one set (helper for the backend's known parameters)."""
    return frozenset(name for group in groups for name in group if name)
