"""``read_page``: a list's page of rows, its table's statement compiled once.

Django compiles a queryset's ``SELECT`` every time it is read: for a list's page, resolving its
columns and the field names of its ordering costs about 400,000 CPU instructions of Python, more
than reading the rows. A page whose queryset reads rows of all its model's columns (a read plan's
``ValuesListIterable``, :mod:`kit.serializers.read_plans`), is ordered by field names, and whose
query is Django's ``Query`` in the state of a fresh ``Query(model)`` but for that ordering and a
``WHERE`` clause on its own table (no join, subquery alias, annotation, ``select_related()``,
deferred field, distinct, lock...) is the same statement on every request but for its ``WHERE``
clause and its ``LIMIT``/``OFFSET``. The rest (``SELECT ... FROM ...`` and ``ORDER BY ...``) is
compiled once per (model, database alias, ordering); each page compiles its ``WHERE`` clause,
puts it and Django's own ``LIMIT``/``OFFSET`` clause in place as ``SQLCompiler.as_sql`` does, and
is read through Django's compiler (cursor, converters, and the read plan's datetime text:
:mod:`kit.serializers.sqlite_datetimes`), so its SQL and rows are those of
``list(queryset[start:start + size])``. Any other queryset, one whose ``QuerySet`` class or
database backend's compiler has hooks of a project's own, or one whose statement Django does not
compose that way (checked when it is made), is read by that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.signals import setting_changed
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable
from django.db.models.sql import Query
from django.db.models.sql.where import WhereNode
from django.dispatch import receiver

from kit.api.counting import Statement
from kit.overrides import user_override
from kit.serializers.sqlite_datetimes import UTCTextRows


@dataclass(frozen=True)
class _Statement:
    """A table's page statement around its ``WHERE`` clause and slice, and what Django's compiler set
    up for it."""

    #: ``Query(model)`` with its table joined: the state of the queries it reads (but for their
    #: ordering and ``WHERE`` clause).
    pristine: Query
    head: str  # SELECT ... FROM ...
    head_params: tuple[Any, ...]
    count_head: str  # SELECT COUNT(*) FROM <the table>
    from_params: tuple[Any, ...]
    ordering: str  # ORDER BY ..., or nothing
    ordering_params: tuple[Any, ...]
    select: list[Any]
    klass_info: Any
    annotation_col_map: Any

    def sql(self, where: str, where_params: Sequence[Any], limits: str) -> tuple[str, tuple[Any, ...]]:
        """The statement with this ``WHERE`` clause (none when empty) and slice, as ``as_sql`` joins them."""
        parts = [
            self.head,
            *([f"WHERE {where}"] if where else []),
            *([self.ordering] if self.ordering else []),
        ]
        return " ".join([*parts, limits]), (*self.head_params, *where_params, *self.ordering_params)

    def count_sql(self, where: str, where_params: Sequence[Any]) -> Statement:
        """The ``COUNT(*)`` of the rows with this ``WHERE`` clause, as :mod:`kit.api.counting` makes it."""
        if not where:
            return self.count_head, [*self.from_params]
        return f"{self.count_head} WHERE {where}", [*self.from_params, *where_params]


#: Page statements by (model, database alias, ordering); None: read by Django (not composable, or
#: a project's compiler). Bounded: ``?ordering=`` may name many orderings.
_STATEMENTS: dict[tuple[Any, ...], _Statement | None] = {}
_MAX_STATEMENTS = 256


def read_page(
    objects: QuerySet[Any] | Sequence[Any], start: int, size: int
) -> tuple[list[Any], Statement | None]:
    """``list(objects[start:start + size])``, with a table's statement compiled once; and, when the
    page was composed from that statement, the ``COUNT(*)`` of ``objects`` from the same ``WHERE``
    clause (what :func:`kit.api.counting.count_rows` would compile), else None."""
    if not isinstance(objects, QuerySet) or not _reads_a_table(objects):
        return list(objects[start : start + size]), None
    page = objects[start : start + size]
    statement = _statement(objects, page)
    if statement is None:
        return list(page), None
    compiler = page.query.get_compiler(using=page.db)
    try:
        where, where_params = compiler.compile(page.query.where)
    except EmptyResultSet:
        return [], None  # Django runs no query either
    except FullResultSet:
        where, where_params = "", ()
    compiler.select, compiler.klass_info = statement.select, statement.klass_info
    compiler.annotation_col_map, compiler.col_count = statement.annotation_col_map, len(statement.select)
    compiler.has_extra_select = False
    limits = compiler.connection.ops.limit_offset_sql(page.query.low_mark, page.query.high_mark)
    sql_and_params = statement.sql(where, where_params, limits)
    compiler.as_sql = lambda *args, **kwargs: sql_and_params
    if issubclass(page._iterable_class, UTCTextRows):
        page._iterable_class.fuse(compiler)  # what its __iter__ does
    rows = list(compiler.results_iter(tuple_expected=True))  # what ValuesListIterable runs
    return rows, statement.count_sql(where, where_params)


def _reads_a_table(queryset: QuerySet[Any]) -> bool:
    """Whether ``queryset`` (not sliced or read) reads rows of all its columns with Django's classes."""
    query = queryset.query
    where = query.where
    return (
        type(query) is Query
        and type(where) is WhereNode
        and (
            queryset._iterable_class is ValuesListIterable
            or issubclass(queryset._iterable_class, UTCTextRows)
        )
        and not queryset._fields  # type: ignore[attr-defined]
        and queryset._result_cache is None
        and not queryset._prefetch_related_lookups  # type: ignore[attr-defined]
        and len(query.alias_map) <= 1  # no join
        and all(type(name) is str for name in query.order_by)
        and not (where.contains_aggregate or where.contains_over_clause)  # HAVING, QUALIFY
        and user_override(type(queryset), _QUERYSET_HOOKS) is None
    )


#: What ``list(queryset[a:b])`` runs of a ``QuerySet`` class.
_QUERYSET_HOOKS = ("__getitem__", "__iter__", "__len__", "_fetch_all", "_chain", "_clone", "query", "db")


def _statement(queryset: QuerySet[Any], page: QuerySet[Any]) -> _Statement | None:
    """The statement of ``queryset``'s pages when its query is its table's and a ``WHERE``, made once."""
    query = queryset.query
    key = (query.model, page.db, query.order_by)  # names only: see _reads_a_table
    if key not in _STATEMENTS:
        pristine = Query(query.model)
        pristine.get_initial_alias()
        if not _same_state(query, pristine):
            return None
        if len(_STATEMENTS) >= _MAX_STATEMENTS:
            _STATEMENTS.clear()
        _STATEMENTS[key] = _compile(page, pristine)
    statement = _STATEMENTS[key]
    return statement if statement is not None and _same_state(query, statement.pristine) else None


#: What a ``WHERE`` clause on a query's own table changes of its state.
_FILTERING = frozenset({"where", "alias_map", "alias_refcount", "table_map", "_lookup_joins", "used_aliases"})


def _same_state(query: Query, pristine: Query) -> bool:
    """Whether ``query`` is ``pristine`` (both ``Query``) but for its ordering and ``WHERE`` clause: no
    join, annotation, extra, distinct, grouping, lock, deferred or selected field..."""
    state, pristine_state = vars(query), vars(pristine)
    defaults = vars(Query)
    return query.alias_map in ({}, pristine.alias_map) and all(
        state.get(name, defaults.get(name)) == pristine_state.get(name, defaults.get(name))
        for name in state.keys() | pristine_state.keys()
        if name != "order_by" and name not in _FILTERING
    )


def _compile(page: QuerySet[Any], pristine: Query) -> _Statement | None:
    """The statement of ``page``'s table and ordering, or None when Django makes it otherwise."""
    query = page.query.clone()
    query.where = WhereNode()  # the statement of the whole table
    compiler = query.get_compiler(using=page.db)
    if user_override(type(compiler), _COMPILER_HOOKS) is not None:
        return None
    whole_table = compiler.as_sql()
    _, order_by, _ = compiler.pre_sql_setup()  # what as_sql set up
    from_, from_params = compiler.get_from_clause()
    # the table alone: an ordering's joins are not counted (kit.api.counting)
    table, table_params = pristine.clone().get_compiler(using=page.db).get_from_clause()
    if compiler.has_extra_select or any(alias for _, _, alias in compiler.select):
        return None
    statement = _Statement(
        pristine,
        head=" ".join(["SELECT", ", ".join(sql for _, (sql, _), _ in compiler.select), "FROM", *from_]),
        head_params=(*(param for _, (_, params), _ in compiler.select for param in params), *from_params),
        count_head=f"SELECT COUNT(*) FROM {' '.join(table)}",  # noqa: S608 - compiled by Django
        from_params=tuple(table_params),
        ordering=f"ORDER BY {', '.join(sql for _, (sql, _, _) in order_by)}" if order_by else "",
        ordering_params=tuple(param for _, (_, params, _) in order_by for param in params),
        select=compiler.select,
        klass_info=compiler.klass_info,
        annotation_col_map=compiler.annotation_col_map,
    )
    limits = compiler.connection.ops.limit_offset_sql(query.low_mark, query.high_mark)
    if statement.sql("", (), limits) != whole_table or _page_sql(page, statement, limits) is False:
        return None
    return statement


def _page_sql(page: QuerySet[Any], statement: _Statement, limits: str) -> bool | None:
    """Whether Django's statement of ``page`` is ``statement`` with its ``WHERE`` clause (None: no
    statement: a ``WHERE`` that nothing matches)."""
    compiler = page.query.clone().get_compiler(using=page.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    try:
        where, where_params = compiler.compile(compiler.where)
    except FullResultSet:
        where, where_params = "", []
    return statement.sql(where, where_params, limits) == (sql, params)


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
