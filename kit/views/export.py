"""CSV export of list views: ``Accept: text/csv`` or ``?format=csv`` streams every matching row.

:class:`CSVExportMixin` (part of ``kit.views.ListMixin``) offers ``text/csv`` on the list action
only, and answers it with a streamed CSV of the filtered, ordered queryset: no pagination, rows
read from the database in chunks, so an export runs in constant memory. An export matching more
rows than ``csv_max_rows`` (``KIT["CSV_MAX_ROWS"]``, 10,000 by default) is refused with a 400
``export_too_large`` problem asking the client to narrow it with filters: never silently cut.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

from kit.api.pagination import EnvelopePagination
from kit.api.renderers import CSVRenderer, csv_lines, row_cells, serializer_columns
from kit.conf import kit_settings
from kit.errors.exceptions import Problem
from kit.views.protocols import ListView

_UNSET: Any = object()


class CSVExportMixin:
    """Stream list responses as CSV when the client asks for it (GET on the list action only)."""

    csv_renderer_class: type[BaseRenderer] = CSVRenderer
    csv_chunk_size = 2000
    csv_filename: str | None = None
    csv_max_rows: int | None = _UNSET  # default: KIT["CSV_MAX_ROWS"]; None or 0: no limit

    def get_renderers(self) -> list[BaseRenderer]:
        renderers: list[BaseRenderer] = super().get_renderers()  # type: ignore[misc]
        if self.offers_csv() and not any(r.format == self.csv_renderer_class.format for r in renderers):
            renderers.append(self.csv_renderer_class())
        return renderers

    def offers_csv(self) -> bool:
        """CSV is offered to GET and HEAD on the list action (not on create, not on detail)."""
        method = getattr(getattr(self, "request", None), "method", None)
        return method in ("GET", "HEAD") and getattr(self, "action", None) in (None, "list")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if getattr(request.accepted_renderer, "format", None) == self.csv_renderer_class.format:
            paginator = getattr(self, "paginator", None)
            if isinstance(paginator, EnvelopePagination):
                paginator.read_query(request)  # checked as for a page, though all rows are exported
            return self.csv_response()
        return super().list(request, *args, **kwargs)  # type: ignore[misc]

    def get_csv_max_rows(self) -> int | None:
        """The most rows an export may hold: ``csv_max_rows``, else ``KIT["CSV_MAX_ROWS"]`` (None: any)."""
        limit: int | None = kit_settings.CSV_MAX_ROWS if self.csv_max_rows is _UNSET else self.csv_max_rows
        return limit or None

    def csv_response(self) -> StreamingHttpResponse:
        """The streamed CSV of the filtered, ordered queryset (pagination does not apply)."""
        view = cast("ListView", self)  # mixed into a DRF generic view
        queryset = view.filter_queryset(view.get_queryset())
        limit = self.get_csv_max_rows()
        if limit is not None:
            if queryset[limit : limit + 1].exists():
                raise Problem(
                    400,
                    "export_too_large",
                    f"The export matches more than {limit} rows: narrow it with filters.",
                )
            queryset = queryset[:limit]  # rows added since the check are not streamed either
        serializer = view.get_serializer()
        columns = serializer_columns(serializer)
        records = (serializer.to_representation(obj) for obj in queryset.iterator(self.csv_chunk_size))
        rows = (row_cells(record, columns) for record in records)
        response = StreamingHttpResponse(
            csv_lines(rows, [".".join(path) for path in columns]),
            content_type="text/csv; charset=utf-8",
        )
        filename = self.csv_filename or f"{queryset.model._meta.model_name}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
