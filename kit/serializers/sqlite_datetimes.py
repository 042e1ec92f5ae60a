"""SQLite datetime columns read straight as DRF's ISO 8601 text, for read plans.

SQLite stores a ``DateTimeField`` as text, which its driver parses (Django registers
``parse_datetime`` for the ``datetime`` declared type); Django's converter
(``DatabaseOperations.convert_datetimefield_value``) then makes the naive value aware in the
connection's time zone, and DRF's ``DateTimeField.to_representation`` moves it to the active time
zone and writes ``isoformat()``, ``+00:00`` written ``Z``. When time zones are on and the
connection's and the active time zone are both UTC, that text is the naive value's ``isoformat()``
followed by ``Z``: :class:`UTCTextRows` puts that in place of Django's converter for the columns a
read plan represents that way (DRF's ``to_representation`` answers text as it is). A value of any
other kind (aware, text, ``NULL``), another time zone, or a converter that is not Django's stock
SQLite one (another database, a backend or field of the project's own) takes Django's converter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from functools import cache, partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models.query import ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

#: What a time zone equal to UTC is: databases answer the first, Django's ``TIME_ZONE`` the second.
UTC_ZONES = (UTC, ZoneInfo("UTC"))

DbConverter = Callable[[Any, Any, Any], Any]  # (value, expression, connection) -> value
Converters = dict[int, tuple[list[DbConverter], Any]]  # SQLCompiler.get_converters()


class UTCTextRows(ValuesListIterable):
    """``values_list()`` tuples whose datetime ``columns`` (position -> attname) SQLite gives as
    DRF's UTC text when the active time zone is UTC. Made per column set by :func:`utc_text_rows`."""

    columns: Mapping[int, str] = {}

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        queryset = self.queryset
        compiler = queryset.query.get_compiler(queryset.db)
        self.fuse(compiler)
        rows: Iterator[tuple[Any, ...]] = compiler.results_iter(
            tuple_expected=True, chunked_fetch=self.chunked_fetch, chunk_size=self.chunk_size
        )
        return rows

    @classmethod
    def fuse(cls, compiler: SQLCompiler) -> None:
        """Make ``compiler`` (about to read rows) give the datetime columns as UTC text, when its
        database is SQLite and time zones are on and in UTC."""
        if (
            compiler.connection.vendor == "sqlite"
            and settings.USE_TZ
            and timezone.get_current_timezone() in UTC_ZONES
        ):
            apply = partial(_apply_utc_text, compiler.apply_converters, cls.columns)
            compiler.apply_converters = apply  # type: ignore[method-assign]  # this reading's own


def utc_text_rows(columns: Mapping[int, str]) -> type[ValuesListIterable]:
    """The rows iterable giving the datetime ``columns`` (position -> attname) as UTC text, or
    Django's ``ValuesListIterable`` when there are none."""
    if not columns:
        return ValuesListIterable
    return type("UTCTextRows", (UTCTextRows,), {"columns": dict(columns), "__module__": __name__})


def _apply_utc_text(
    apply: Callable[[Iterable[Any], Converters], Iterator[Any]],
    columns: Mapping[int, str],
    rows: Iterable[Any],
    converters: Converters,
) -> Iterator[Any]:
    """``SQLCompiler.apply_converters`` with Django's SQLite datetime converter of ``columns``
    fused with DRF's representation."""
    fused = dict(converters)
    for position, attname in columns.items():
        entry = converters.get(position)
        if entry is not None and _is_stock_utc(entry, attname):
            fused[position] = ([_utc_text(entry[0][0])], entry[1])
    return apply(rows, fused)


def _is_stock_utc(entry: tuple[list[DbConverter], Any], attname: str) -> bool:
    """Whether a column's converters are Django's SQLite one alone, on a connection in UTC, for
    the column ``attname``."""
    convs, expression = entry
    if len(convs) != 1 or getattr(convs[0], "__func__", None) is not _stock_converter():
        return False
    target = getattr(expression, "target", None)
    ops: Any = getattr(convs[0], "__self__", None)
    return getattr(target, "attname", None) == attname and ops.connection.timezone in UTC_ZONES


@cache
def _stock_converter() -> Callable[..., Any]:
    """Django's SQLite datetime converter (imported once SQLite is in use: not on other databases)."""
    from django.db.backends.sqlite3.operations import DatabaseOperations

    return DatabaseOperations.convert_datetimefield_value


def _utc_text(convert: DbConverter) -> DbConverter:
    """``convert`` (Django's converter) then DRF's ISO 8601 representation in UTC, for naive
    datetimes; any other value is ``convert``'s."""

    def utc_text(value: Any, expression: Any, connection: Any) -> Any:
        if value.__class__ is datetime and value.tzinfo is None:
            return value.isoformat() + "Z"
        return convert(value, expression, connection)

    return utc_text
