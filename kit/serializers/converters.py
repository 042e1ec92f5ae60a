"""Faster equivalents of DRF fields' ``to_representation`` for the common configurations.

Each function returns a converter giving exactly what the field's ``to_representation`` gives for
the non-null values a database returns, or the field's own method when the field is configured
otherwise (a custom format, a field time zone, localized or normalized decimals, ...).

A converter with a :func:`per_list` function takes that function's result as a second argument:
the caller calls it once for many values. Datetimes take the current time zone (Django's lookup
costs about a microsecond), decimals with ``max_digits`` the thread's decimal context with that
precision (DRF copies it for each value; nothing changes it while a list is written).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import ISO_8601, fields
from rest_framework.settings import api_settings

from kit.serializers.sqlite_datetimes import UTC_ZONES

Converter = Callable[..., Any]  # value -> output, or (value, its per_list() result) -> output


def converter(field: fields.Field) -> Converter:
    """The fastest exact converter for ``field``'s values."""
    special = _SPECIAL.get(type(field))
    return (special and special(field)) or field.to_representation


def per_list(function: Converter) -> Callable[[], Any] | None:
    """What ``function`` takes as its second argument, made once per list, or None."""
    return getattr(function, "per_list", None)


def represents_iso_datetimes(function: Converter | None) -> bool:
    """Whether ``function`` is a datetime field's ISO 8601 converter with the active time zone (it
    answers text as it is, as DRF does: :mod:`kit.serializers.sqlite_datetimes` gives it text)."""
    return getattr(function, "iso_datetimes", False)


def _datetime(field: fields.DateTimeField) -> Callable[..., Any] | None:
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if hasattr(field, "timezone") or not settings.USE_TZ or not isinstance(output_format, str):
        return None
    if output_format.lower() != ISO_8601:
        return None
    slow = field.to_representation

    def represent_datetime(value: Any, current_timezone: tzinfo) -> Any:
        if value.__class__ is str:
            return value or None  # DRF answers text as it is
        zone = getattr(value, "tzinfo", None)
        if zone is None:
            return slow(value)  # naive, or not a datetime: DRF's path
        if zone is not current_timezone and not (zone in UTC_ZONES and current_timezone in UTC_ZONES):
            try:
                value = value.astimezone(current_timezone)
            except OverflowError:
                return slow(value)  # DRF's validation error
        text: str = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    represent_datetime.per_list = timezone.get_current_timezone  # type: ignore[attr-defined]
    represent_datetime.iso_datetimes = True  # type: ignore[attr-defined]
    return represent_datetime


def _decimal(field: fields.DecimalField) -> Converter | None:
    coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
    if not coerce or field.localize or field.normalize_output or field.decimal_places is None:
        return None
    exponent = decimal.Decimal(".1") ** field.decimal_places
    max_digits, rounding = field.max_digits, field.rounding
    slow = field.to_representation

    def represent_decimal(value: Any, context: decimal.Context | None = None) -> Any:
        if type(value) is not decimal.Decimal:
            return slow(value)
        # None: the thread's decimal context (its rounding, traps, limits), as for DRF.
        return format(value.quantize(exponent, rounding=rounding, context=context), "f")

    if max_digits is not None:

        def precise_context() -> decimal.Context:
            context = decimal.getcontext().copy()
            context.prec = max_digits
            return context

        represent_decimal.per_list = precise_context  # type: ignore[attr-defined]
    return represent_decimal


def _uuid(field: fields.UUIDField) -> Converter | None:
    return str if field.uuid_format == "hex_verbose" else None


_SPECIAL: dict[type[fields.Field], Callable[[Any], Callable[..., Any] | None]] = {
    fields.DateTimeField: _datetime,
    fields.DecimalField: _decimal,
    fields.UUIDField: _uuid,
}
