"""SQLite datetime columns read as DRF's text answer DRF's output byte for byte, and only then."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from kit.api import pages
from kit.api.pages import read_page
from kit.serializers.read_plans import read_plan
from kit.serializers.sqlite_datetimes import UTCTextRows
from tests.example.models import Specimen
from tests.views.test_read_plan import EARLIEST_YEAR, MYSQL, UNENVELOPED, SpecimenSerializer, planned, render

pytestmark = pytest.mark.django_db

SQLITE = connection.vendor == "sqlite"
ZONES = [datetime.UTC, ZoneInfo("UTC"), ZoneInfo("Europe/Paris"), ZoneInfo("Asia/Kathmandu")]
MOMENT = [field.attname for field in Specimen._meta.concrete_fields].index("moment")

naive_datetimes = st.datetimes(
    min_value=datetime.datetime(EARLIEST_YEAR, 1, 2), max_value=datetime.datetime(9999, 12, 30)
)
naive_datetimes |= naive_datetimes.map(lambda moment: moment.replace(microsecond=0))


def stored_texts(moment: datetime.datetime):
    """Texts a project's raw SQL may have stored for ``moment``: Django's shape and others."""
    return st.sampled_from(
        [
            str(moment),  # Django's: microseconds left out when 0
            moment.isoformat(),
            moment.isoformat(" ", "milliseconds"),
            moment.strftime("%Y-%m-%d %H:%M:%S.000000"),
            f"{moment.isoformat(' ')}+02:00",
            f"{moment.isoformat()}Z",
            moment.date().isoformat(),
            "not a date",
        ]
    )


values = st.none() | naive_datetimes.map(lambda moment: moment.replace(tzinfo=datetime.UTC))
if SQLITE:
    values |= naive_datetimes.flatmap(stored_texts)


def store(moments) -> None:
    """One specimen per value: aware datetimes through the ORM, texts through raw SQL."""
    Specimen.objects.all().delete()
    for moment in moments:
        specimen = Specimen.objects.create(moment=None if isinstance(moment, str) else moment)
        if isinstance(moment, str):
            with connection.cursor() as cursor:
                cursor.execute("UPDATE example_specimen SET moment = %s WHERE id = %s", [moment, specimen.pk])


def assert_drfs_output(serializer=SpecimenSerializer) -> None:
    queryset = Specimen.objects.order_by("pk")
    plan = read_plan(serializer)
    expected = JSONRenderer().render(serializer(queryset, many=True).data, "application/json", UNENVELOPED)
    assert render(planned(plan, queryset)) == expected  # the model's columns
    assert render(planned(plan, queryset.defer("text"))) == expected  # values_list() of the plan's columns


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moments=st.lists(values, max_size=4), zone=st.sampled_from(ZONES))
def test_datetimes_read_as_text_are_drfs_byte_for_byte(moments, zone):
    store(moments)
    with timezone.override(zone):
        assert_drfs_output()


@pytest.mark.parametrize("time_zone", ["UTC", "Europe/Paris"])
@pytest.mark.parametrize("use_tz", [True, False])
def test_settings_time_zones_answer_drfs_output(time_zone, use_tz):
    zone = datetime.UTC if use_tz else None
    early = 1000 if MYSQL else 999  # MariaDB's DATETIME starts at year 1000
    with override_settings(TIME_ZONE=time_zone, USE_TZ=use_tz):
        store(
            [
                datetime.datetime(2026, 3, 29, 1, 30, tzinfo=zone),
                None,
                datetime.datetime(early, 1, 2, tzinfo=zone),
            ]
        )
        assert_drfs_output()


@pytest.mark.skipif(not SQLITE, reason="a database time zone applies to databases without time zones")
def test_a_database_time_zone_answers_drfs_output(monkeypatch):
    store([datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)])
    monkeypatch.setitem(connection.settings_dict, "TIME_ZONE", "Asia/Tokyo")
    monkeypatch.delattr(connection, "timezone")  # Django's cached property, made again

    assert_drfs_output()
    assert not isinstance(first_moment(), str)


def first_moment():
    """The ``moment`` of the first row as the plan reads it."""
    rows, _ = read_plan(SpecimenSerializer).read(Specimen.objects.order_by("pk"))
    assert issubclass(rows._iterable_class, UTCTextRows)
    return next(iter(rows))[MOMENT]


@pytest.mark.parametrize("zone", ZONES)
def test_the_text_is_read_straight_on_sqlite_in_utc_only(zone):
    store([datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)])
    with timezone.override(zone):
        moment = first_moment()

    if SQLITE and zone in (datetime.UTC, ZoneInfo("UTC")):
        assert moment == "2026-01-02T03:04:05Z"
    else:  # Django's converter: PostgreSQL and MariaDB's drivers give datetimes
        assert moment == datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


@pytest.mark.skipif(not SQLITE, reason="SQLite's converter")
def test_a_backend_converter_of_the_projects_own_is_used(monkeypatch):
    store([datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)])
    stock = connection.ops.convert_datetimefield_value
    monkeypatch.setattr(connection.ops, "convert_datetimefield_value", lambda *args: stock(*args))

    assert isinstance(first_moment(), datetime.datetime)
    assert_drfs_output()


class TwiceSerializer(serializers.ModelSerializer):
    """The datetime column read by a field that needs the datetime too."""

    moment_text = serializers.CharField(source="moment")

    class Meta:
        model = Specimen
        fields = ["id", "moment", "moment_text"]


def test_a_column_another_field_reads_as_a_datetime_is_not_read_as_text():
    store([datetime.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)])

    assert read_plan(TwiceSerializer).model_rows.__name__ == "ValuesListIterable"
    assert_drfs_output(TwiceSerializer)


def test_a_page_compiled_once_reads_the_text_too():
    store([datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC), None])
    rows, _ = read_plan(SpecimenSerializer).read(Specimen.objects.order_by("pk"))
    pages._STATEMENTS.clear()

    page, _ = read_page(rows, 0, 2)

    assert page == list(rows[0:2])
    assert [key[0] for key, statement in pages._STATEMENTS.items() if statement] == [Specimen]
    text = SQLITE and timezone.get_current_timezone() in (datetime.UTC, ZoneInfo("UTC"))
    assert isinstance(page[0][MOMENT], str) == text
