"""Read plans answer DRF's output byte for byte, and fall back to DRF for anything they cannot read."""

import datetime
import decimal

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from kit.api.renderers import EnvelopeJSONRenderer
from kit.views.read_plan import read_plan
from kit.views.serializers import model_serializer_class
from tests.example.models import Category, Specimen

pytestmark = pytest.mark.django_db

UNENVELOPED = {"view": type("View", (), {"envelope": False})()}
ZONES = ["UTC", "Europe/Paris", "America/St_Johns", "Asia/Kathmandu", "Pacific/Kiritimati", "America/Adak"]
MYSQL = connection.vendor == "mysql"
EARLIEST_YEAR = 1000 if MYSQL else 2  # MariaDB's DATE and DATETIME start at year 1000


class SpecimenSerializer(serializers.ModelSerializer):
    class Meta:
        model = Specimen
        fields = "__all__"


def render(data) -> bytes:
    return EnvelopeJSONRenderer().render(data, "application/json", UNENVELOPED)


def nullable(strategy):
    return st.none() | strategy


def decimals(max_digits: int, decimal_places: int, limit: int | None = None):
    step = decimal.Decimal(10) ** -decimal_places
    bound = decimal.Decimal(limit or 10 ** (max_digits - decimal_places)) - step
    return st.decimals(min_value=-bound, max_value=bound, places=decimal_places)


# No NUL (PostgreSQL refuses it in text and jsonb) and no lone surrogates (not UTF-8).
text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)
text |= st.sampled_from(["\u2028", "a\u2029b", "</script>", "naïve ✓ \U0001f642", ",1e5]", "0.00001]", '"'])
floats = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [1e-05, -1e-07, 1e16, -0.0, 5e-324, 1.7976931348623157e308, 0.1, 123456789.125]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | floats | text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text, children, max_size=3),
    max_leaves=8,
)
aware_datetimes = st.datetimes(
    min_value=datetime.datetime(EARLIEST_YEAR, 1, 2),
    max_value=datetime.datetime(9999, 12, 30),
    timezones=st.just(datetime.UTC),
)
specimens = st.fixed_dictionaries(
    {
        "char": nullable(text),
        "text": nullable(text),
        "email": nullable(text),
        "slug": nullable(text),
        "url": nullable(text),
        "integer": nullable(st.integers(-(2**31), 2**31 - 1)),
        "big": nullable(st.integers(-(2**63), 2**63 - 1)),
        "small": nullable(st.integers(-(2**15), 2**15 - 1)),
        "positive": nullable(st.integers(0, 2**31 - 1)),
        "flag": st.booleans(),
        "maybe": nullable(st.booleans()),
        "real": nullable(floats),
        "money": nullable(decimals(5, 2)),
        "rate": nullable(decimals(4, 4)),
        "whole": nullable(decimals(10, 0)),
        "precise": nullable(decimals(30, 10, limit=10**5)),  # SQLite keeps 15 significant digits
        "day": nullable(st.dates(min_value=datetime.date(EARLIEST_YEAR, 1, 1))),
        "moment": nullable(aware_datetimes),
        "clock": nullable(st.times()),
        "span": nullable(st.timedeltas(datetime.timedelta(days=-(10**6)), datetime.timedelta(days=10**6))),
        "uid": nullable(st.uuids(version=4) if MYSQL else st.uuids()),  # MariaDB refuses other variants
        "document": nullable(json_values.filter(lambda value: value is not None)),
        "address": nullable(st.ip_addresses().map(str)),
        "size": st.sampled_from([None, "s", "l"]),
        "level": st.sampled_from([None, 1, 2]),
        "has_category": st.booleans(),
    }
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(specimens, max_size=4), zone=st.sampled_from(ZONES))
def test_planned_output_is_drfs_byte_for_byte(rows, zone):
    Specimen.objects.all().delete()
    category, _ = Category.objects.get_or_create(name="specimens")
    Specimen.objects.bulk_create(
        Specimen(**row, category=category if has_category else None)
        for row in rows
        for has_category in [row.pop("has_category")]
    )
    queryset = Specimen.objects.order_by("pk")
    plan = read_plan(SpecimenSerializer)
    assert plan is not None and plan.can_read(queryset)

    with timezone.override(zone):
        from_rows = plan.represent_all(plan.values(queryset))
        from_instances = [plan.represent_instance(instance) for instance in queryset]
        drf = SpecimenSerializer(queryset, many=True).data
        generated = model_serializer_class(Specimen)(queryset, many=True).data

    expected = JSONRenderer().render(drf, "application/json", UNENVELOPED)
    assert render(drf) == expected
    assert render(from_rows) == expected
    assert render(from_instances) == expected
    assert render(generated) == expected
