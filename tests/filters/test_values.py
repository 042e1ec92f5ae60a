"""Value parsers: what each field type accepts and rejects (with the error code)."""

import datetime
import uuid
from decimal import Decimal

import pytest

from kit.filters import values

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("parse", "raw", "expected"),
    [
        (values.parse_boolean, "TRUE", True),
        (values.parse_boolean, "0", False),
        (values.integer_parser(-5, 5), "-5", -5),
        (values.integer_parser(-5, 5), "+5", 5),
        (values.decimal_parser(5, 2), "999.99", Decimal("999.99")),
        (values.decimal_parser(None, None), "1e3", Decimal("1e3")),
        (values.parse_float, "2.5", 2.5),
        (values.parse_uuid, "00000000000000000000000000000001", uuid.UUID(int=1)),
        (values.parse_date_value, "2024-02-29", datetime.date(2024, 2, 29)),
        (values.parse_datetime_value, "2024-01-01T12:00:00Z", datetime.datetime(2024, 1, 1, 12, tzinfo=UTC)),
        (values.parse_datetime_value, "2024-01-01", datetime.datetime(2024, 1, 1, tzinfo=UTC)),
        (values.parse_time_value, "12:30", datetime.time(12, 30)),
        (values.parse_duration_value, "P1DT2H", datetime.timedelta(days=1, hours=2)),
        (values.parse_string, "é" * 1000, "é" * 1000),
    ],
)
def test_accepted(parse, raw, expected):
    assert parse(raw) == expected


@pytest.mark.parametrize(
    ("parse", "raw", "code"),
    [
        (values.parse_boolean, "yes", "invalid"),
        (values.integer_parser(-5, 5), "6", "out_of_range"),
        (values.integer_parser(-5, 5), "1.0", "invalid"),
        (values.integer_parser(-5, 5), "\u0661", "invalid"),
        (values.integer_parser(None, None), "9" * 101, "invalid"),
        (values.decimal_parser(5, 2), "1000", "out_of_range"),
        (values.decimal_parser(5, 2), "sNaN", "invalid"),
        (values.decimal_parser(5, 2), " 1", "invalid"),
        (values.parse_float, "inf", "invalid"),
        (values.parse_uuid, "1234", "invalid"),
        (values.parse_date_value, "2023-02-29", "invalid"),
        (values.parse_datetime_value, "9999-12-31T23:59:59-14:00", "out_of_range"),
        (values.parse_time_value, "25:00", "invalid"),
        (values.parse_duration_value, "soon", "invalid"),
        (values.parse_string, "a" * 1001, "max_length"),
        (values.parse_string, "a\x00", "null_characters_not_allowed"),
    ],
)
def test_rejected(parse, raw, code):
    with pytest.raises(values.InvalidValue) as raised:
        parse(raw)

    assert raised.value.code == code
