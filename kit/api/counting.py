"""``count_rows``: a list's ``COUNT(*)``, compiled from the queryset's tables and filters alone.

``QuerySet.count()`` goes through Django's aggregation machinery (an annotation resolved, masks
and subquery checks, a whole ``SELECT`` compiled), about 500,000 CPU instructions of Python for
``SELECT COUNT(*) FROM t``. For a queryset whose rows are its tables' filtered rows (no
``distinct()``, grouping, annotations, ``extra(select=...)``, slice or set operation, and not
read yet, and ``count()`` not overridden), the count is the same statement built from its ``FROM``
and ``WHERE`` clauses; any other queryset is counted by ``count()``. The statement of a whole table
(Django's query class, no filter, join or extra table: only the model and the database make it) is
compiled once; a page read by :func:`kit.api.pages.read_page` gives the statement of its own
``WHERE`` clause, compiled for the page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.core.signals import setting_changed
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.sql import Query
from django.db.models.sql.where import WhereNode
from django.dispatch import receiver

Statement = tuple[str, list[Any]]

#: ``SELECT COUNT(*)`` of whole tables, by (model, database alias).
_WHOLE_TABLES: dict[tuple[type[Any] | None, str], Statement | None] = {}


def count_rows(queryset: QuerySet[Any], statement: Statement | None = None) -> int:
    """The number of rows of ``queryset``, as ``queryset.count()`` answers it; ``statement``: its
    ``SELECT COUNT(*)`` when already compiled (:func:`kit.api.pages.read_page`)."""
    if not _plain(queryset):
        return queryset.count()
    connection = connections[queryset.db]
    if statement is None:
        statement = _compiled(queryset.query, queryset.db, connection)
        if statement is None:
            return 0
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        return int(cursor.fetchone()[0])


def _compiled(query: Query, alias: str, connection: BaseDatabaseWrapper) -> Statement | None:
    """The ``SELECT COUNT(*)`` of ``query``, a whole table's compiled once; None when nothing matches."""
    if not _whole_table(query):
        return _statement(query, connection)
    key = (query.model, alias)
    if key not in _WHOLE_TABLES:
        _WHOLE_TABLES[key] = _statement(query, connection)
    return _WHOLE_TABLES[key]


def _statement(query: Query, connection: BaseDatabaseWrapper) -> Statement | None:
    """``SELECT COUNT(*)`` from the ``FROM`` and ``WHERE`` of ``query``; None when nothing matches."""
    query = query.clone()
    compiler = query.get_compiler(connection=connection)
    query.get_initial_alias()  # an unfiltered query has no table yet
    tables, params = compiler.get_from_clause()
    sql = f"SELECT COUNT(*) FROM {' '.join(tables)}"  # noqa: S608 - compiled by Django
    try:
        where, where_params = compiler.compile(query.where)
    except EmptyResultSet:
        return None
    except FullResultSet:
        where = ""
    if where:
        sql, params = f"{sql} WHERE {where}", [*params, *where_params]
    return sql, params


def _whole_table(query: Query) -> bool:
    """Whether the ``FROM`` and ``WHERE`` of ``query`` (Django's classes) are its model's table alone."""
    where = query.where
    stock = type(query) is Query and type(where) is WhereNode  # a project's own may vary its SQL
    return stock and not (query.alias_map or query.extra_tables or where.children or where.negated)


@receiver(setting_changed)
def _forget_statements(*, setting: str, **kwargs: Any) -> None:
    if setting == "DATABASES":
        _WHOLE_TABLES.clear()


def _plain(queryset: QuerySet[Any]) -> bool:
    """Whether the rows of ``queryset`` are its tables' rows that pass its ``WHERE`` clause."""
    query = queryset.query
    return not (
        type(queryset).count is not QuerySet.count  # the project's own count() runs
        or queryset._result_cache is not None  # count() answers the rows already read
        or query.is_sliced
        or query.distinct
        or query.combinator
        or query.group_by is not None
        or query.annotations
        or query.extra
        or query.where.contains_aggregate
        or query.where.contains_over_clause
    )
