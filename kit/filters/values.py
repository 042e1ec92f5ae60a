"""Parsers that turn one raw query-parameter value into the Python value a lookup compares with.

Each parser raises :class:`InvalidValue` (with a ``code``) for input the database must never see:
malformed values, numbers outside the column's range, NUL characters, oversized strings. What a
parser accepts is also in its ``schema`` (JSON Schema keywords the OpenAPI document adds to the
parameter, see :func:`accepts`).
"""

from __future__ import annotations

import datetime
import decimal
import json
import math
import re
import uuid
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_duration, parse_time

Parser = Callable[[str], Any]

MAX_STRING_LENGTH = 1000
MAX_NUMBER_LENGTH = 100
_INTEGER = re.compile(r"[+-]?[0-9]+")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


#: What :func:`parse_string` accepts: 1 to MAX_STRING_LENGTH characters, none of them NUL.
STRING_SCHEMA = {"minLength": 1, "maxLength": MAX_STRING_LENGTH, "pattern": r"^[^\x00]*$"}


def accepts(**schema: Any) -> Callable[[Parser], Parser]:
    """Decorator recording on a parser (``parser.schema``) the JSON Schema keywords of what it accepts."""

    def record(parser: Parser) -> Parser:
        parser.schema = {key: value for key, value in schema.items() if value is not None}  # type: ignore[attr-defined]
        return parser

    return record


def schema_of(parser: Parser) -> dict[str, Any]:
    """The JSON Schema keywords recorded on ``parser`` (none: its type says it all)."""
    return dict(getattr(parser, "schema", {}))


class InvalidValue(ValueError):
    """A query-parameter value that cannot be used; ``code`` is the machine-readable reason."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


@accepts(**STRING_SCHEMA)
def parse_string(raw: str) -> str:
    if len(raw) > MAX_STRING_LENGTH:
        raise InvalidValue(f"Ensure this value has at most {MAX_STRING_LENGTH} characters.", "max_length")
    if "\x00" in raw:
        raise InvalidValue("Null characters are not allowed.", "null_characters_not_allowed")
    return raw


def parse_json_element(raw: str) -> str | int | float | bool:
    """An element of a JSON array: a JSON number, ``true``/``false`` or a quoted string as JSON
    reads them (``3``, ``true``, ``"3"``); any other text is that string (``red``)."""
    text = parse_string(raw)
    try:
        value = json.loads(text, parse_constant=_not_a_number)
    except ValueError:
        return text
    if value is None or isinstance(value, list | dict):
        raise InvalidValue("Give a string, a number, true or false (not an array, an object or null).")
    return value


def _not_a_number(constant: str) -> Any:
    raise ValueError(constant)  # NaN and Infinity are no JSON: read as strings


def parse_boolean(raw: str) -> bool:
    value = raw.lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidValue("Must be a boolean: true, false, 1 or 0.")


def integer_parser(low: int | None, high: int | None) -> Parser:
    """Parse a whole number in ``[low, high]`` (the column's range; None: unbounded)."""

    @accepts(minimum=low, maximum=high)
    def parse_integer(raw: str) -> int:
        if len(raw) > MAX_NUMBER_LENGTH or not _INTEGER.fullmatch(raw):
            raise InvalidValue("Must be a whole number.")
        value = int(raw)
        if (low is not None and value < low) or (high is not None and value > high):
            raise InvalidValue(f"Must be between {low} and {high}.", "out_of_range")
        return value

    return parse_integer


def decimal_parser(max_digits: int | None, decimal_places: int | None) -> Parser:
    """Parse a finite decimal whose integer part fits ``max_digits - decimal_places`` digits."""
    limit = decimal.Decimal(10) ** (max_digits - (decimal_places or 0)) if max_digits else None
    bounds: dict[str, Any] = {}
    if limit is not None:
        bound = int(limit)
        bounds = {"minimum": -bound, "maximum": bound, "exclusiveMinimum": True, "exclusiveMaximum": True}

    @accepts(**bounds)
    def parse_decimal(raw: str) -> decimal.Decimal:
        try:
            value = decimal.Decimal(raw) if len(raw) <= MAX_NUMBER_LENGTH else None
        except decimal.InvalidOperation:
            value = None
        if value is None or not value.is_finite() or raw != raw.strip():
            raise InvalidValue("Must be a number.")
        if limit is not None and abs(value) >= limit:
            raise InvalidValue(f"Must be greater than {-limit} and less than {limit}.", "out_of_range")
        return value

    return parse_decimal


def parse_float(raw: str) -> float:
    try:
        value = float(raw) if len(raw) <= MAX_NUMBER_LENGTH and raw == raw.strip() else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InvalidValue("Must be a finite number.")
    return value


def parse_uuid(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise InvalidValue("Must be a UUID.") from None


def parse_date_value(raw: str) -> datetime.date:
    return _parse_with(parse_date, raw, "Must be a date: YYYY-MM-DD.")


def parse_datetime_value(raw: str) -> datetime.datetime:
    """An ISO 8601 date-time (or a date: its midnight); naive values are in the current time zone."""
    value = _parse_with(parse_datetime, raw, None) or datetime.datetime.combine(
        _parse_with(parse_date, raw, "Must be an ISO 8601 date-time."), datetime.time()
    )
    if timezone.is_naive(value) and _use_tz():
        try:
            value = timezone.make_aware(value)
        except (OverflowError, ValueError):
            raise InvalidValue("The date-time is out of range.", "out_of_range") from None
    try:
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
    except OverflowError:
        raise InvalidValue("The date-time is out of range.", "out_of_range") from None
    return value


def parse_time_value(raw: str) -> datetime.time:
    return _parse_with(parse_time, raw, "Must be a time: HH:MM[:SS[.ffffff]].")


def parse_duration_value(raw: str) -> datetime.timedelta:
    return _parse_with(parse_duration, raw, "Must be a duration: [DD] [HH:[MM:]]SS[.ffffff] or ISO 8601.")


def _parse_with(parse: Callable[[str], Any], raw: str, message: str | None) -> Any:
    try:
        value = parse(raw) if len(raw) <= MAX_NUMBER_LENGTH else None
    except (ValueError, OverflowError):
        value = None
    if value is None and message is not None:
        raise InvalidValue(message)
    return value


def _use_tz() -> bool:
    from django.conf import settings

    return bool(settings.USE_TZ)
