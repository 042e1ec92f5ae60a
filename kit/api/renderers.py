"""Renderers: the success envelope and problem bodies in JSON (orjson), and CSV export.

``EnvelopeJSONRenderer`` gives byte-for-byte the output of DRF's ``JSONRenderer`` (same encoder
rules for dates, datetimes, times, durations, decimals, UUIDs and lazy strings), only faster, and
wraps successful responses as ``{"data": ..., "meta": {"request_id": ..., **response.meta}}``.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import orjson
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from kit.request_id import request_id_var

ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
# Python and orjson write some floats differently (Python 1e-05 and 1e-07, orjson 0.00001 and
# 1e-7), as values and as dict keys ({1e-05: 1}). Output holding a number orjson writes in
# exponent notation or below 1e-4, followed by what follows a value or a key (rare; the same text
# inside a string also matches, harmlessly) is rendered again the way DRF does. Each pattern
# starts with a literal and a substring test comes first: about a microsecond on typical output.
# The substring tests are ``bytes.find``: ``in`` on bytes first tries the operand as an integer
# (a byte value) and raises and clears a TypeError, which costs more than the search itself.
_EXPONENT_NUMBER = re.compile(rb'e[-+]\d++(?:[,\]}]|":|\Z)')
_SMALL_NUMBER = re.compile(rb'0\.0000\d++(?:[,\]}]|":|\Z)')
_encode_default = JSONEncoder().default


def dumps(data: Any) -> bytes:
    """Serialize ``data`` to exactly the bytes of DRF's (compact, UTF-8) ``JSONRenderer``, fast.

    orjson does the work; what it does not know natively (and datetimes, for identical formatting)
    goes through DRF's own ``JSONEncoder.default``. The rare data orjson cannot render like DRF
    (integers wider than 64 bits, floats below 1e-4 or in exponent notation) goes through DRF's
    encoder instead.
    """
    try:
        content = orjson.dumps(data, default=_encode_default, option=ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return _drf_dumps(data)
    if _written_unlike_python(content):
        return _drf_dumps(data)
    return _escape_line_separators(content)


def _written_unlike_python(content: bytes) -> bool:
    """Whether ``content`` may hold a float orjson writes unlike Python's ``repr``."""
    find = content.find
    if (find(b"e+") >= 0 or find(b"e-") >= 0) and _EXPONENT_NUMBER.search(content):
        return True
    return find(b"0.0000") >= 0 and _SMALL_NUMBER.search(content) is not None


def _drf_dumps(data: Any) -> bytes:
    text = json.dumps(data, cls=JSONEncoder, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return _escape_line_separators(text.encode())


def _escape_line_separators(content: bytes) -> bytes:
    """DRF escapes U+2028 and U+2029 so the output is also valid JavaScript; so do we.

    ASCII output holds neither (``isascii`` takes no argument to parse: cheaper than a search);
    one byte is found far faster than two.
    """
    if not content.isascii() and content.find(b"\xe2") >= 0 and content.find(b"\xe2\x80") >= 0:
        content = content.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
    return content


def is_envelope_view(view: Any) -> bool:
    """Whether responses of ``view`` are wrapped (``envelope = False`` on a view opts out)."""
    return getattr(view, "envelope", True) is not False


class EnvelopeJSONRenderer(JSONRenderer):
    """JSON renderer that wraps successful API responses in the ``data``/``meta`` envelope.

    Responses with a status of 400 or more are rendered unwrapped (they are problem bodies), so are
    responses of views with ``envelope = False``. 204 and 304 responses have an empty body.
    """

    envelope = True

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        status = getattr(response, "status_code", 200)
        if status in (204, 304):
            return b""
        if self.envelope and status < 400 and is_envelope_view(renderer_context.get("view")):
            extra = getattr(response, "meta", None)
            request_id = request_id_var.get()
            meta = {"request_id": request_id, **extra} if extra else {"request_id": request_id}
            data = {"data": data, "meta": meta}
        elif data is None:
            return b""
        if self._needs_drf_renderer(accepted_media_type, renderer_context):
            return super().render(data, accepted_media_type, renderer_context)
        return dumps(data)

    def _needs_drf_renderer(
        self, accepted_media_type: str | None, renderer_context: Mapping[str, Any]
    ) -> bool:
        """Indented or non-compact output (``Accept: application/json; indent=4``) is DRF's job.

        A media type without parameters names no indent: DRF's ``get_indent`` would return the
        context's ``indent``, read here without parsing the media type.
        """
        if not self.compact or self.ensure_ascii:
            return True
        if accepted_media_type and ";" in accepted_media_type:
            return bool(self.get_indent(accepted_media_type, dict(renderer_context)))
        return bool(renderer_context.get("indent"))


class ProblemJSONRenderer(EnvelopeJSONRenderer):
    """Renders RFC 9457 problem bodies as ``application/problem+json`` (never wrapped)."""

    media_type = "application/problem+json"
    format = "problem+json"
    envelope = False


class CSVRenderer(BaseRenderer):
    """``text/csv`` for list responses (``Accept: text/csv`` or ``?format=csv``).

    Each object is a row; nested serializers are flattened into dotted columns (``category.name``),
    other values are written as JSON (lists, dicts, numbers, ``true``/``false``), text as is,
    ``None`` as an empty cell. A single object gives one row. Problems (status >= 400) are still
    rendered as JSON. List views stream whole querysets instead: :class:`kit.views.export.CSVExportMixin`.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        if getattr(response, "status_code", 200) >= 400:
            return ProblemJSONRenderer().render(data, accepted_media_type, renderer_context)
        if data is None:
            return b""
        records = data if isinstance(data, list) else [data]
        serializer = getattr(data, "serializer", None)  # DRF's ReturnList/ReturnDict keep it
        if serializer is not None:
            paths = serializer_columns(getattr(serializer, "child", serializer))
            rows = [row_cells(record, paths) for record in records]
            columns = [".".join(path) for path in paths]
        else:
            rows = [flatten(record) for record in records]
            columns = list(dict.fromkeys(column for row in rows for column in row))
        return "".join(csv_lines(rows, columns)).encode()


def serializer_columns(
    serializer: serializers.BaseSerializer, prefix: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    """The column paths of a serializer: its readable fields, nested serializers expanded."""
    columns: list[tuple[str, ...]] = []
    for name, field in serializer.fields.items():  # type: ignore[attr-defined]
        if field.write_only:
            continue
        if isinstance(field, serializers.Serializer):
            columns.extend(serializer_columns(field, (*prefix, name)))
        else:
            columns.append((*prefix, name))
    return columns


def row_cells(record: Mapping[str, Any], columns: list[tuple[str, ...]]) -> dict[str, Any]:
    """The value of each column path in one serialized record (``None`` below a null object)."""
    row: dict[str, Any] = {}
    for path in columns:
        value: Any = record
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        row[".".join(path)] = value
    return row


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Flatten nested mappings into dotted keys (for data that did not come from a serializer)."""
    if not isinstance(value, Mapping):
        return {prefix or "value": value}
    flat: dict[str, Any] = {}
    for key, item in value.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(item, Mapping) and item:
            flat.update(flatten(item, name))
        else:
            flat[name] = item
    return flat


class _Line:
    """A file-like sink for ``csv.writer`` that hands back each written line."""

    def write(self, line: str) -> str:
        return line


def csv_lines(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> Iterator[str]:
    """Yield the header line, then one CSV line per flattened row (missing columns are empty)."""
    writer = csv.writer(_Line())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([csv_cell(row.get(column)) for column in columns])


_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """One cell: text as is (formula-looking text prefixed with ``'``), other values as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _defuse_formula(value)
    encoded = dumps(value).decode()
    if encoded.startswith('"'):
        return _defuse_formula(orjson.loads(encoded))
    return encoded


def _defuse_formula(text: str) -> str:
    """Keep spreadsheets from running text that looks like a formula (OWASP CSV injection)."""
    if text.startswith(_FORMULA_PREFIXES) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
