"""``read_page``: a list's page of rows, its whole table's statement compiled once.

Django compiles a queryset's ``SELECT`` every time it is read: for a list's page, resolving its
columns and the field names of its ordering costs about 400,000 CPU instructions of Python, more
than reading the rows. The page of a whole table is the same statement on every request but for
its ``LIMIT``/``OFFSET``, when its queryset reads rows of all its model's columns (a read plan's
``ValuesListIterable``, :mod:`kit.serializers.read_plans`), is ordered by field names, and its
query is Django's ``Query`` in the state of a fresh ``Query(model)`` but for that ordering (no
filter, join, annotation, ``select_related()``, deferred field, distinct, lock...). That statement
is compiled once per (model, database alias, ordering); each page appends Django's own
``LIMIT``/``OFFSET`` clause to it and is read through Django's compiler (cursor, converters), so
its SQL and rows are those of ``list(queryset[start:start + size])``. Any other queryset, one whose
``QuerySet`` class or database backend's compiler has hooks of a project's own, or one whose
statement is not composed that way, is read by that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.signals import setting_changed
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable
from django.db.models.sql import Query
from django.dispatch import receiver

from kit.overrides import user_override


@dataclass(frozen=True)
class _Statement:
    """A whole table's page statement without its slice, and what Django's compiler set up for it."""

    #: A fresh ``Query(model)``: the state of the queries it reads (their ``order_by`` aside).
    query: Query
    sql: str
    params: tuple[Any, ...]
    select: list[Any]
    klass_info: Any
    annotation_col_map: Any
    has_extra_select: bool


#: Page statements by (model, database alias, ordering); None: read by Django (not composable, or
#: a project's compiler). Bounded: ``?ordering=`` may name many orderings.
_STATEMENTS: dict[tuple[Any, ...], _Statement | None] = {}
_MAX_STATEMENTS = 256


def read_page(objects: QuerySet[Any] | Sequence[Any], start: int, size: int) -> list[Any]:
    """``list(objects[start:start + size])``, with a whole table's statement compiled once."""
    if not isinstance(objects, QuerySet) or not _reads_whole_table(objects):
        return list(objects[start : start + size])
    page = objects[start : start + size]
    statement = _statement(objects, page)
    if statement is None:
        return list(page)
    compiler = page.query.get_compiler(using=page.db)
    compiler.select, compiler.klass_info = statement.select, statement.klass_info
    compiler.annotation_col_map, compiler.col_count = statement.annotation_col_map, len(statement.select)
    compiler.has_extra_select = statement.has_extra_select
    limits = compiler.connection.ops.limit_offset_sql(page.query.low_mark, page.query.high_mark)
    sql_and_params = (f"{statement.sql} {limits}", statement.params)  # as SQLCompiler.as_sql joins them
    compiler.as_sql = lambda *args, **kwargs: sql_and_params
    return list(compiler.results_iter(tuple_expected=True))  # what ValuesListIterable runs


def _reads_whole_table(queryset: QuerySet[Any]) -> bool:
    """Whether ``queryset`` (not sliced or read) reads rows of all its columns with Django's classes."""
    query = queryset.query
    return (
        type(query) is Query
        and queryset._iterable_class is ValuesListIterable
        and not queryset._fields  # type: ignore[attr-defined]
        and queryset._result_cache is None
        and not queryset._prefetch_related_lookups  # type: ignore[attr-defined]
        and all(type(name) is str for name in query.order_by)
        and user_override(type(queryset), _QUERYSET_HOOKS) is None
    )


#: What ``list(queryset[a:b])`` runs of a ``QuerySet`` class.
_QUERYSET_HOOKS = ("__getitem__", "__iter__", "__len__", "_fetch_all", "_chain", "_clone", "query", "db")


def _statement(queryset: QuerySet[Any], page: QuerySet[Any]) -> _Statement | None:
    """The statement of ``queryset``'s pages when its query is a whole table's, made once."""
    query = queryset.query
    key = (query.model, page.db, query.order_by)  # names only: see _reads_whole_table
    if key not in _STATEMENTS:
        pristine = Query(query.model)
        if not _same_state(query, pristine):
            return None
        if len(_STATEMENTS) >= _MAX_STATEMENTS:
            _STATEMENTS.clear()
        _STATEMENTS[key] = _compile(page, pristine)
    statement = _STATEMENTS[key]
    return statement if statement is not None and _same_state(query, statement.query) else None


def _same_state(query: Query, pristine: Query) -> bool:
    """Whether every attribute of ``query`` but ``order_by`` is that of ``pristine`` (both ``Query``)."""
    state, pristine_state = vars(query), vars(pristine)
    defaults = vars(Query)
    return all(
        state.get(name, defaults.get(name)) == pristine_state.get(name, defaults.get(name))
        for name in state.keys() | pristine_state.keys()
        if name != "order_by"
    )


def _compile(page: QuerySet[Any], pristine: Query) -> _Statement | None:
    """The statement of ``page`` without its slice, or None when that is not how Django makes it."""
    compiler = page.query.get_compiler(using=page.db)
    if user_override(type(compiler), _COMPILER_HOOKS) is not None:
        return None
    sliced = compiler.as_sql()
    sql, params = compiler.as_sql(with_limits=False)
    limits = compiler.connection.ops.limit_offset_sql(page.query.low_mark, page.query.high_mark)
    if sliced != (f"{sql} {limits}", params):
        return None
    select, klass_info, annotation_col_map = compiler.select, compiler.klass_info, compiler.annotation_col_map
    return _Statement(
        pristine, sql, params, select, klass_info, annotation_col_map, compiler.has_extra_select
    )


#: What compiles and reads a page, of a backend's ``SQLCompiler`` class.
_COMPILER_HOOKS = (
    "__init__",
    "as_sql",
    "pre_sql_setup",
    "setup_query",
    "get_select",
    "get_order_by",
    "results_iter",
    "execute_sql",
    "get_converters",
    "apply_converters",
    "compile",
)


@receiver(setting_changed)
def _forget_statements(*, setting: str, **kwargs: Any) -> None:
    if setting == "DATABASES":
        _STATEMENTS.clear()
