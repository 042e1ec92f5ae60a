"""Pagination of list responses: page number (the default), limit/offset, and cursor.

A paginated list answers the page's objects as ``data`` and sets ``response.meta`` to
``{"pagination": {...}}``, which the envelope renderer puts under ``meta``:

- :class:`PageNumberPagination` (``?page=2&page_size=10``):
  ``{"count", "page", "pages", "page_size", "next", "previous"}``;
- :class:`LimitOffsetPagination` (``?limit=10&offset=20``):
  ``{"count", "limit", "offset", "next", "previous"}``;
- :class:`CursorPagination` (``?cursor=...&page_size=10``): ``{"page_size", "next", "previous"}``,
  no count: for very large tables, where ``COUNT(*)`` is what a list costs.

``next`` and ``previous`` are absolute URLs (the other query parameters kept) or null. Sizes
default to ``KIT["PAGE_SIZE"]`` (25) and may not exceed ``KIT["MAX_PAGE_SIZE"]`` (100). A malformed
or out-of-range value answers 400 ``invalid_filter``; a page past the end answers 200 with an empty
``data`` and the real ``count``. The page is read before the count, and the last page of a list
(fewer objects than its size) gives the count without a ``COUNT`` query. An unordered queryset is
ordered newest first by primary key so pages never overlap (see :func:`stable_ordering`).

With ``KIT["COUNT_ESTIMATE_ABOVE"]`` set, a list on PostgreSQL whose planner estimate exceeds that
many rows answers the estimate as its ``count`` instead of running ``COUNT(*)``, and
``meta.pagination`` says so: ``"count_estimated": true`` (the key is there, false otherwise,
whenever the option is set). Such a list links a next page whenever its page is full.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kit.api.counting import Statement, count_rows
from kit.api.links import replace_query_param
from kit.api.list_rules import DEFAULT_ORDERING, default_ordering
from kit.api.pages import read_page
from kit.conf import kit_settings
from kit.errors.exceptions import InvalidFilter

_NUMBER = re.compile(r"[0-9]{1,18}")


def _count(objects: QuerySet[Any] | Sequence[Any], statement: Statement | None) -> int:
    return count_rows(objects, statement) if isinstance(objects, QuerySet) else len(objects)


def _estimated_count(objects: QuerySet[Any] | Sequence[Any]) -> int | None:
    """PostgreSQL's planner estimate of the rows of ``objects`` when it is over the option's bound."""
    bound = kit_settings.COUNT_ESTIMATE_ABOVE
    if bound is None or not isinstance(objects, QuerySet) or connections[objects.db].vendor != "postgresql":
        return None
    estimate = int(json.loads(objects.explain(format="json"))[0]["Plan"]["Plan Rows"])
    return estimate if estimate > bound else None


def stable_ordering(objects: QuerySet[Any] | Sequence[Any], view: APIView | None = None) -> Any:
    """Order ``queryset`` when nothing did: the view's ``ordering``, else newest first by primary key.

    An explicit ``order_by`` (``?ordering=``, the view's ``get_queryset``) or the model's
    ``Meta.ordering`` is kept. ``kit.views.ModelView`` applies the same rule in ``get_queryset``.
    """
    if not isinstance(objects, QuerySet) or objects.ordered:
        return objects
    return objects.order_by(*default_ordering(view))


def _page_and_count(
    objects: QuerySet[Any] | Sequence[Any], view: APIView | None, start: int, size: int
) -> tuple[list[Any], int, bool]:
    """The ``size`` objects from ``start`` on, the number of objects in all, and whether it is an
    estimate.

    The page is read first: a page with fewer objects than ``size`` (but not empty) is the last
    one, and an empty first page means no objects, so the count follows without a ``COUNT`` query.
    """
    rows, count_statement = read_page(stable_ordering(objects, view), start, size)
    if 0 < len(rows) < size or (not rows and start == 0):
        return rows, start + len(rows), False
    estimate = _estimated_count(objects)
    if estimate is not None:
        known = start + len(rows)  # at least the objects up to this page; past the end, at most
        return rows, max(estimate, known) if rows else min(estimate, known), True
    return rows, _count(objects, count_statement), False


def _estimate_flag(estimated: bool) -> dict[str, bool]:
    """``count_estimated``, when ``KIT["COUNT_ESTIMATE_ABOVE"]`` is set."""
    return {} if kit_settings.COUNT_ESTIMATE_ABOVE is None else {"count_estimated": estimated}


def _estimate_flag_schema() -> dict[str, Any]:
    return {
        "type": "boolean",
        "description": "Whether count is PostgreSQL's estimate (only with KIT COUNT_ESTIMATE_ABOVE).",
    }


def _parse_count(request: Request, param: str, *, minimum: int, maximum: int | None, default: int) -> int:
    """Read a whole-number query parameter; absent gives ``default``; 400 when invalid or empty."""
    raws = request.query_params.getlist(param)
    if not raws:
        return default
    raw = raws[0]
    if len(raws) > 1:
        code, detail = "repeated_parameter", "Give this parameter once."
    elif raw == "":
        code, detail = "blank", "Give a value, or leave the parameter out."
    elif not _NUMBER.fullmatch(raw):
        code, detail = "invalid", "Must be a whole number."
    elif int(raw) < minimum or (maximum is not None and int(raw) > maximum):
        code = "out_of_range"
        detail = f"Must be between {minimum} and {maximum}." if maximum else f"Must be at least {minimum}."
    else:
        return int(raw)
    error = {"attr": param, "code": code, "detail": detail, "parameter": param}
    raise InvalidFilter(f"Invalid query parameters: {param}.", errors=[error])


class EnvelopePagination:
    """What the kit's paginations share: the page is ``data``, its description ``meta.pagination``."""

    def get_pagination(self) -> dict[str, Any]:
        """The ``meta.pagination`` object of the current page."""
        raise NotImplementedError

    def read_query(self, request: Request) -> None:
        """Read (and check: 400 ``invalid_filter``) the pagination parameters of ``request``.

        Also called where pagination does not apply (a CSV export): a query string is valid for a
        list in every format, as the OpenAPI document says.
        """

    def get_paginated_response(self, data: Any) -> Response:
        response = Response(data)
        response.meta = {"pagination": self.get_pagination()}  # type: ignore[attr-defined]
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The list itself is ``data``; ``get_pagination_schema()`` describes ``meta.pagination``."""
        return schema


class PageNumberPagination(EnvelopePagination, pagination.BasePagination):
    """``?page=N&page_size=M`` (pages start at 1)."""

    page_query_param = "page"
    page_size_query_param = "page_size"

    @property
    def page_size(self) -> int:
        return int(kit_settings.PAGE_SIZE)

    @property
    def max_page_size(self) -> int:
        return int(kit_settings.MAX_PAGE_SIZE)

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        self.read_query(request)
        start = (self.page - 1) * self.page_size_value
        rows, self.count, self.count_estimated = _page_and_count(queryset, view, start, self.page_size_value)
        self.pages = math.ceil(self.count / self.page_size_value)
        self.more = self.page < self.pages or (self.count_estimated and len(rows) == self.page_size_value)
        return rows

    def read_query(self, request: Request) -> None:
        self.request = request
        self.page_size_value = _parse_count(
            request, self.page_size_query_param, minimum=1, maximum=self.max_page_size, default=self.page_size
        )
        self.page = _parse_count(request, self.page_query_param, minimum=1, maximum=None, default=1)

    def get_pagination(self) -> dict[str, Any]:
        """The ``meta.pagination`` object of the current page."""
        return {
            "count": self.count,
            **_estimate_flag(self.count_estimated),
            "page": self.page,
            "pages": self.pages,
            "page_size": self.page_size_value,
            "next": self._link(self.page + 1) if self.more else None,
            "previous": self._link(min(self.page - 1, self.pages)) if self.page > 1 and self.pages else None,
        }

    def _link(self, page: int) -> str:
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, page)

    def get_pagination_schema(self) -> dict[str, Any]:
        """OpenAPI schema of ``meta.pagination`` (the envelope's OpenAPI wrapper places it)."""
        return _object_schema(
            optional=("count_estimated",),  # with KIT["COUNT_ESTIMATE_ABOVE"] only
            count=_integer("Number of objects in the whole list.", minimum=0),
            count_estimated=_estimate_flag_schema(),
            page=_integer("This page's number (from 1).", minimum=1),
            pages=_integer("Number of pages.", minimum=0),
            page_size=_integer("Objects per page.", minimum=1),
            next=_link_schema("URL of the next page."),
            previous=_link_schema("URL of the previous page."),
        )

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            _query_parameter(self.page_query_param, "Page number, from 1 (past the end: empty page).", 1),
            _query_parameter(
                self.page_size_query_param,
                f"Objects per page (default {self.page_size}).",
                1,
                self.max_page_size,
            ),
        ]


class LimitOffsetPagination(EnvelopePagination, pagination.BasePagination):
    """``?limit=M&offset=N`` (offset counts objects from 0)."""

    limit_query_param = "limit"
    offset_query_param = "offset"

    @property
    def default_limit(self) -> int:
        return int(kit_settings.PAGE_SIZE)

    @property
    def max_limit(self) -> int:
        return int(kit_settings.MAX_PAGE_SIZE)

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        self.read_query(request)
        rows, self.count, self.count_estimated = _page_and_count(queryset, view, self.offset, self.limit)
        self.more = self.offset + self.limit < self.count or (
            self.count_estimated and len(rows) == self.limit
        )
        return rows

    def read_query(self, request: Request) -> None:
        self.request = request
        self.limit = _parse_count(
            request, self.limit_query_param, minimum=1, maximum=self.max_limit, default=self.default_limit
        )
        self.offset = _parse_count(request, self.offset_query_param, minimum=0, maximum=None, default=0)

    def get_pagination(self) -> dict[str, Any]:
        """The ``meta.pagination`` object of the current slice."""
        previous = None
        if self.offset > 0 and self.count:
            previous = self._link(max(0, min(self.offset - self.limit, self.count - self.limit)))
        return {
            "count": self.count,
            **_estimate_flag(self.count_estimated),
            "limit": self.limit,
            "offset": self.offset,
            "next": self._link(self.offset + self.limit) if self.more else None,
            "previous": previous,
        }

    def _link(self, offset: int) -> str:
        url = replace_query_param(self.request.build_absolute_uri(), self.limit_query_param, self.limit)
        return replace_query_param(url, self.offset_query_param, offset)

    def get_pagination_schema(self) -> dict[str, Any]:
        """OpenAPI schema of ``meta.pagination`` (the envelope's OpenAPI wrapper places it)."""
        return _object_schema(
            optional=("count_estimated",),  # with KIT["COUNT_ESTIMATE_ABOVE"] only
            count=_integer("Number of objects in the whole list.", minimum=0),
            count_estimated=_estimate_flag_schema(),
            limit=_integer("Maximum number of objects in this slice.", minimum=1),
            offset=_integer("Index of the slice's first object (from 0).", minimum=0),
            next=_link_schema("URL of the next slice."),
            previous=_link_schema("URL of the previous slice."),
        )

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            _query_parameter(
                self.limit_query_param,
                f"Objects to return (default {self.default_limit}).",
                1,
                self.max_limit,
            ),
            _query_parameter(self.offset_query_param, "Objects to skip (past the end: empty list).", 0),
        ]


class CursorPagination(EnvelopePagination, pagination.CursorPagination):
    """``?cursor=<opaque>&page_size=M``: pages walked by position, never counted.

    DRF's cursor pagination (stable under inserts; each page costs the same however deep), with
    the kit's rules: sizes from ``KIT["PAGE_SIZE"]`` and ``KIT["MAX_PAGE_SIZE"]``, a malformed size
    or cursor answers 400 ``invalid_filter`` (DRF: a silent clamp, or 404), and the order is the
    view's ``ordering``, else newest first by primary key (``?ordering=`` does not apply). The first field of
    the order should be unique or nearly so (a primary key, a creation time).
    """

    page_size_query_param = "page_size"
    ordering: Any = DEFAULT_ORDERING

    def get_page_size(self, request: Request) -> int:
        maximum, default = int(kit_settings.MAX_PAGE_SIZE), int(kit_settings.PAGE_SIZE)
        return _parse_count(request, self.page_size_query_param, minimum=1, maximum=maximum, default=default)

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> tuple[str, ...]:
        self.ordering = default_ordering(view)
        return tuple(super().get_ordering(request, queryset, view))

    def decode_cursor(self, request: Request) -> Any:
        try:
            return super().decode_cursor(request)
        except NotFound as invalid:
            error = {"attr": "cursor", "code": "invalid", "detail": "Not a cursor of this list."}
            error["parameter"] = "cursor"
            raise InvalidFilter("Invalid query parameters: cursor.", errors=[error]) from invalid

    def get_pagination(self) -> dict[str, Any]:
        """The ``meta.pagination`` object of the current page."""
        next_link, previous_link = self.get_next_link(), self.get_previous_link()
        return {"page_size": self.page_size, "next": next_link, "previous": previous_link}

    def get_pagination_schema(self) -> dict[str, Any]:
        """OpenAPI schema of ``meta.pagination`` (the envelope's OpenAPI wrapper places it)."""
        return _object_schema(
            page_size=_integer("Objects per page.", minimum=1),
            next=_link_schema("URL of the next page."),
            previous=_link_schema("URL of the previous page."),
        )

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        cursor = {
            "name": self.cursor_query_param,
            "required": False,
            "in": "query",
            "description": "The position in the list: take it from meta.pagination.next or previous.",
            "schema": {"type": "string"},
        }
        default, maximum = int(kit_settings.PAGE_SIZE), int(kit_settings.MAX_PAGE_SIZE)
        description = f"Objects per page (default {default})."
        size = _query_parameter(self.page_size_query_param, description, 1, maximum)
        return [cursor, size]


def _integer(description: str, *, minimum: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": minimum, "description": description}


def _link_schema(description: str) -> dict[str, Any]:
    return {"type": "string", "format": "uri", "nullable": True, "description": description}


def _object_schema(*, optional: tuple[str, ...] = (), **properties: dict[str, Any]) -> dict[str, Any]:
    required = [name for name in properties if name not in optional]
    return {"type": "object", "required": required, "properties": properties}


def _query_parameter(name: str, description: str, minimum: int, maximum: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer", "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return {"name": name, "required": False, "in": "query", "description": description, "schema": schema}
