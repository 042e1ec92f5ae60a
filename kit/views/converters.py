"""Faster equivalents of DRF fields' ``to_representation`` for the common configurations.

Each function returns a converter giving exactly what the field's ``to_representation`` gives for
the non-null values a database returns, or the field's own method when the field is configured
otherwise (a custom format, a field time zone, localized or normalized decimals, ...).

A converter marked :func:`wants_timezone` takes the current time zone as a second argument: the
caller looks it up once for many values (Django's lookup costs about a microsecond).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from django.conf import settings
from rest_framework import ISO_8601, fields
from rest_framework.settings import api_settings

Converter = Callable[..., Any]  # value -> output, or (value, current time zone) -> output


def converter(field: fields.Field) -> Converter:
    """The fastest exact converter for ``field``'s values."""
    special = _SPECIAL.get(type(field))
    return (special and special(field)) or field.to_representation


def wants_timezone(function: Converter) -> bool:
    """Whether ``function`` takes the current time zone as its second argument."""
    return getattr(function, "wants_timezone", False)


def _datetime(field: fields.DateTimeField) -> Callable[..., Any] | None:
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if hasattr(field, "timezone") or not settings.USE_TZ or not isinstance(output_format, str):
        return None
    if output_format.lower() != ISO_8601:
        return None
    slow = field.to_representation

    def represent_datetime(value: Any, current_timezone: tzinfo) -> Any:
        if getattr(value, "tzinfo", None) is None:
            return slow(value)  # naive, or not a datetime: DRF's path
        try:
            text: str = value.astimezone(current_timezone).isoformat()
        except OverflowError:
            return slow(value)  # DRF's validation error
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    represent_datetime.wants_timezone = True  # type: ignore[attr-defined]
    return represent_datetime


def _decimal(field: fields.DecimalField) -> Converter | None:
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    if not coerce or field.localize or field.normalize_output or field.decimal_places is None:
        return None
    exponent = decimal.Decimal(".1") ** field.decimal_places
    max_digits, rounding = field.max_digits, field.rounding
    slow = field.to_representation

    def represent_decimal(value: Any) -> Any:
        if type(value) is not decimal.Decimal:
            return slow(value)
        context = None  # the thread's decimal context (its rounding, traps, limits), as for DRF
        if max_digits is not None:
            context = decimal.getcontext().copy()
            context.prec = max_digits
        return format(value.quantize(exponent, rounding=rounding, context=context), "f")

    return represent_decimal


def _uuid(field: fields.UUIDField) -> Converter | None:
    return str if field.uuid_format == "hex_verbose" else None


_SPECIAL: dict[type[fields.Field], Callable[[Any], Callable[..., Any] | None]] = {
    fields.DateTimeField: _datetime,
    fields.DecimalField: _decimal,
    fields.UUIDField: _uuid,
}
