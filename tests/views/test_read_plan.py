"""Read plans answer DRF's output byte for byte, and fall back to DRF for anything they cannot read."""

import datetime
import decimal
import gc
import json
import weakref
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Count, F
from django.db.models.signals import post_init
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import pagination, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from kit.api.pagination import LimitOffsetPagination, PageNumberPagination
from kit.api.renderers import EnvelopeJSONRenderer
from kit.serializers.generated import model_serializer_class
from kit.serializers.read_plans import ReadPlan, read_plan
from kit.views import ListModelView
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


class OptionedSerializer(serializers.ModelSerializer):
    """Fields with the options the plan's fast conversions must respect, all reading Specimen columns."""

    moment_in_tokyo = serializers.DateTimeField(source="moment", default_timezone=ZoneInfo("Asia/Tokyo"))
    moment_text = serializers.DateTimeField(source="moment", format="%Y-%m-%d %H:%M:%S.%f %z")
    money_number = serializers.DecimalField(
        source="money", max_digits=5, decimal_places=2, coerce_to_string=False
    )
    money_up = serializers.DecimalField(
        source="money", max_digits=6, decimal_places=1, rounding=decimal.ROUND_HALF_UP
    )
    precise_short = serializers.DecimalField(source="precise", max_digits=None, decimal_places=3)
    precise_normal = serializers.DecimalField(
        source="precise", max_digits=30, decimal_places=10, normalize_output=True
    )
    uid_hex = serializers.UUIDField(source="uid", format="hex")
    uid_int = serializers.UUIDField(source="uid", format="int")
    day_text = serializers.DateField(source="day", format="%d/%m/%Y")
    flag_text = serializers.CharField(source="flag")
    level_text = serializers.CharField(source="level")
    real_whole = serializers.IntegerField(source="real")
    char_as_is = serializers.ReadOnlyField(source="char")

    class Meta:
        model = Specimen
        fields = [
            *["id", "moment_in_tokyo", "moment_text", "money_number", "money_up", "precise_short"],
            *["precise_normal", "uid_hex", "uid_int", "day_text", "flag_text", "level_text", "real_whole"],
            "char_as_is",
        ]
        read_only_fields = fields


PLANNED_AND_DRF = [
    (SpecimenSerializer, SpecimenSerializer),
    (model_serializer_class(Specimen), SpecimenSerializer),
    (OptionedSerializer, OptionedSerializer),
]


def render(data) -> bytes:
    return EnvelopeJSONRenderer().render(data, "application/json", UNENVELOPED)


def planned(plan, queryset):
    """The plan's output for ``queryset``'s rows."""
    rows, represent_all = plan.read(queryset)
    return represent_all(rows)


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
        "category": st.booleans(),  # with or without one
    }
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(specimens, max_size=4), zone=st.sampled_from(ZONES))
def test_planned_output_is_drfs_byte_for_byte(rows, zone):
    """Rows are stored, then read back: each side sees what the database kept (SQLite's decimals)."""
    Specimen.objects.all().delete()
    category, _ = Category.objects.get_or_create(name="specimens")
    Specimen.objects.bulk_create(
        Specimen(**{**row, "category": category if row["category"] else None}) for row in rows
    )
    queryset = Specimen.objects.order_by("pk")

    for serializer, drf_serializer in PLANNED_AND_DRF:
        plan = read_plan(serializer)
        assert plan is not None and plan.can_read(queryset)
        with timezone.override(zone):
            from_rows = planned(plan, queryset)  # the model's columns
            from_columns = planned(plan, queryset.defer("text"))  # values_list() of the plan's columns
            from_instances = [plan.represent_instance(instance) for instance in queryset]
            through_serializer = serializer(queryset, many=True).data
            drf = drf_serializer(queryset, many=True).data

        expected = JSONRenderer().render(drf, "application/json", UNENVELOPED)
        assert render(drf) == expected
        assert render(from_rows) == expected
        assert render(from_columns) == expected
        assert render(from_instances) == expected
        assert render(through_serializer) == expected


@pytest.mark.parametrize("serializer", [SpecimenSerializer, OptionedSerializer])
def test_instance_attributes_are_converted_whatever_their_type(serializer):
    specimen = Specimen(  # attributes as set, not as stored
        char=5,
        integer="7",
        flag=1,
        maybe=0,
        real=2,
        money=1.5,
        precise="0.00001",
        moment=datetime.datetime(2026, 3, 29, 12, 30),  # naive
    )
    plan = read_plan(serializer)

    with timezone.override("Europe/Paris"):
        assert render(plan.represent_instance(specimen)) == render(serializer(specimen).data)
    assert b'"char":"5","text":null' in render(read_plan(SpecimenSerializer).represent_instance(specimen))


@pytest.mark.parametrize("max_digits", [4, None])
def test_decimals_are_rounded_in_the_threads_decimal_context(max_digits):
    class Tenths(serializers.ModelSerializer):
        tenths = serializers.DecimalField(
            source="money", max_digits=max_digits, decimal_places=1, read_only=True
        )

        class Meta:
            model = Specimen
            fields = ["tenths"]

    Specimen.objects.create(money=decimal.Decimal("0.25"))
    queryset = Specimen.objects.all()
    plan = read_plan(Tenths)

    with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):
        assert planned(plan, queryset) == [{"tenths": "0.3"}]
        assert Tenths(queryset, many=True).data == [{"tenths": "0.3"}]


def test_a_distinct_queryset_without_the_primary_key_falls_back_to_drf():
    Specimen.objects.bulk_create([Specimen(char="twin"), Specimen(char="twin")])
    plan = read_plan(Chars)

    assert not plan.can_read(Specimen.objects.order_by("char").distinct())
    assert plan.can_read(Specimen.objects.order_by("char"))
    assert read_plan(SpecimenSerializer).can_read(Specimen.objects.order_by("char").distinct())


@pytest.mark.parametrize(
    "shape",
    [
        lambda specimens: specimens.select_related("category"),
        lambda specimens: specimens.annotate(doubled=F("integer") * 2, tally=Count("pk")),
        lambda specimens: specimens.only("char"),
        lambda specimens: specimens.extra(select={"one": "1"}),
        lambda specimens: specimens.filter(pk__in=specimens.values("pk")).distinct(),
        lambda specimens: (
            specimens.filter(char="a").order_by().union(specimens.exclude(char="a").order_by()).order_by("pk")
        ),
    ],
    ids=["select_related", "annotated", "only", "extra_select", "distinct", "union"],
)
def test_querysets_of_any_shape_answer_the_serializers_output(shape):
    category = Category.objects.create(name="tools")
    Specimen.objects.bulk_create(
        [Specimen(char="a", integer=1, category=category), Specimen(char="b", moment=timezone.now())]
    )
    queryset = shape(Specimen.objects.order_by("pk"))
    plan = read_plan(SpecimenSerializer)

    with CaptureQueriesContext(connection) as captured:
        output = planned(plan, queryset)

    assert render(output) == render(SpecimenSerializer(Specimen.objects.order_by("pk"), many=True).data)
    assert len(captured) == 1 and "example_category" not in captured[0]["sql"].split("WHERE")[0]


def test_plans_of_serializer_classes_made_on_the_fly_are_not_kept_forever():
    def made_on_the_fly():
        meta = type("Meta", (), {"model": Category, "fields": "__all__"})
        return type("OnTheFly", (serializers.ModelSerializer,), {"Meta": meta})

    first = made_on_the_fly()
    assert read_plan(first) is not None
    first_made = weakref.ref(first)
    del first
    for _ in range(1100):
        read_plan(made_on_the_fly())
    gc.collect()

    assert first_made() is None


# Lists through kit views: planned when the serializer is plain, DRF's output otherwise.


class Chars(serializers.ModelSerializer):
    class Meta:
        model = Specimen
        fields = ["char"]


class WithMethod(SpecimenSerializer):
    loud = serializers.SerializerMethodField()

    def get_loud(self, specimen):
        return specimen.shout


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = "__all__"


class Nested(SpecimenSerializer):
    category = CategorySerializer(allow_null=True)


class DottedSource(SpecimenSerializer):
    category_name = serializers.CharField(source="category.name", allow_null=True, default=None)


class ModelProperty(SpecimenSerializer):
    shout = serializers.ReadOnlyField()


class OwnRepresentation(SpecimenSerializer):
    def to_representation(self, instance):
        return {**super().to_representation(instance), "extra": True}


class OwnInit(SpecimenSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("text")


class OwnFields(SpecimenSerializer):
    def get_fields(self):
        fields = super().get_fields()
        fields["integer"] = serializers.CharField()
        return fields


class Upper(serializers.CharField):
    def to_representation(self, value):
        return super().to_representation(value).upper()


class OwnField(SpecimenSerializer):
    char = Upper(allow_null=True)


class Reversed(serializers.ListSerializer):
    def to_representation(self, data):
        return super().to_representation(data)[::-1]


class OwnListSerializer(SpecimenSerializer):
    class Meta(SpecimenSerializer.Meta):
        list_serializer_class = Reversed


class OwnManyInit(SpecimenSerializer):
    @classmethod
    def many_init(cls, *args, **kwargs):
        return Reversed(*args, child=cls(), **kwargs)


class OwnNew(SpecimenSerializer):
    def __new__(cls, *args, **kwargs):
        if kwargs.pop("many", False):
            return Reversed(*args, child=cls(), **kwargs)
        return super().__new__(cls, *args, **kwargs)


class DRFPages(pagination.PageNumberPagination):
    page_size = 10


class ObjectPages(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        return [specimen for specimen in super().paginate_queryset(queryset, request, view) if specimen.pk]


def own_page(view, queryset):  # a view's own paginate_queryset, reading model objects
    return [specimen for specimen in ListModelView.paginate_queryset(view, queryset) if specimen.pk]


# Models whose own code makes what DRF reads (proxies: the same table).


class FromDB(Specimen):
    class Meta:
        proxy = True
        app_label = "example"

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        specimen = super().from_db(db, field_names, values, **kwargs)
        specimen.char = specimen.char and specimen.char.upper()
        return specimen


class OwnModelInit(Specimen):
    class Meta:
        proxy = True
        app_label = "example"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.text = self.text and self.text.upper()


class OwnAttributes(Specimen):
    class Meta:
        proxy = True
        app_label = "example"

    def __getattribute__(self, name):
        value = super().__getattribute__(name)
        return value.upper() if name == "char" and value else value


class Masked(Specimen):
    class Meta:
        proxy = True
        app_label = "example"

    @property
    def char(self):
        return "***"

    @char.setter
    def char(self, value):
        pass


class Described:
    """A descriptor of the project's own on a model field's attribute."""

    def __get__(self, instance, owner=None):
        return self if instance is None else instance.__dict__.get("integer", 0) * 2

    def __set__(self, instance, value):
        instance.__dict__["integer"] = value or 0


class Doubled(Specimen):
    class Meta:
        proxy = True
        app_label = "example"

    integer = Described()


def proxy_list(model):
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    serializer = type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta})
    return specimen_list(serializer, model=model, queryset=model.objects.all())


def specimen_list(serializer, **attributes):
    return type(
        f"{getattr(serializer, '__name__', 'Generated')}List",
        (ListModelView,),
        {"model": Specimen, "serializer_class": serializer, "ordering": ["pk"], **attributes},
    ).as_view()


class OwnGetSerializer(ListModelView):
    model = Specimen
    serializer_class = SpecimenSerializer
    ordering = ["pk"]

    def get_serializer(self, *args, **kwargs):
        return Chars(*args, **kwargs)


FALLBACKS = {
    "method": specimen_list(WithMethod),
    "nested": specimen_list(Nested),
    "dotted": specimen_list(DottedSource),
    "property": specimen_list(ModelProperty),
    "to-representation": specimen_list(OwnRepresentation),
    "init": specimen_list(OwnInit),
    "get-fields": specimen_list(OwnFields),
    "field": specimen_list(OwnField),
    "list-serializer": specimen_list(OwnListSerializer),
    "many-init": specimen_list(OwnManyInit),
    "new": specimen_list(OwnNew),
    "view-paginate-queryset": specimen_list(SpecimenSerializer, paginate_queryset=own_page),
    "pagination-paginate-queryset": specimen_list(SpecimenSerializer, pagination_class=ObjectPages),
    "model-from-db": proxy_list(FromDB),
    "model-init": proxy_list(OwnModelInit),
    "model-getattribute": proxy_list(OwnAttributes),
    "model-property": proxy_list(Masked),
    "model-descriptor": proxy_list(Doubled),
    "prefetch": specimen_list(SpecimenSerializer, queryset=Specimen.objects.prefetch_related("category")),
    "values": specimen_list(Chars, queryset=Specimen.objects.values("char")),
    "drf-pagination": specimen_list(SpecimenSerializer, pagination_class=DRFPages),
    "get-serializer": OwnGetSerializer.as_view(),
    "distinct": specimen_list(Chars, queryset=Specimen.objects.distinct(), ordering=["char"]),
    "union": specimen_list(
        Chars, queryset=Specimen.objects.filter(flag=False).union(Specimen.objects.filter(flag=True))
    ),
    "list": specimen_list(SpecimenSerializer, get_queryset=lambda view: [*Specimen.objects.order_by("pk")]),
}
urlpatterns = [
    path("planned", specimen_list(SpecimenSerializer)),
    path("generated", specimen_list(None)),
    path("offset", specimen_list(SpecimenSerializer, pagination_class=LimitOffsetPagination)),
    path("unpaginated", specimen_list(SpecimenSerializer, pagination_class=None)),
    *(path(f"fallback/{name}", view) for name, view in FALLBACKS.items()),
]


@pytest.fixture
def specimens_in_db():
    category = Category.objects.create(name="tools")
    Specimen.objects.bulk_create(
        [
            Specimen(char="twin", money=decimal.Decimal("1.50"), moment=timezone.now(), category=category),
            Specimen(char="twin", flag=True, document={"tiny": 1e-05, "line": "\u2028"}),
            Specimen(text="ünïcode", real=-2.5e-07),
        ]
    )


@pytest.fixture
def plans_used(monkeypatch):
    """The number of lists read through a plan."""
    calls = []
    read = ReadPlan.read

    def counted(plan, queryset):
        calls.append(plan)
        return read(plan, queryset)

    monkeypatch.setattr(ReadPlan, "read", counted)
    return calls


def canonical(content: bytes) -> str:
    """JSON written again as ``json.dumps`` writes it (``true`` stays unlike ``1``), to compare."""
    return json.dumps(json.loads(content))


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("name", FALLBACKS)
def test_lists_the_plan_cannot_read_answer_drfs_output(client, specimens_in_db, plans_used, name):
    view = FALLBACKS[name].view_class(format_kwarg=None)
    view.setup(Request(RequestFactory().get("/")))
    queryset = view.filter_queryset(view.get_queryset())

    response = client.get(f"/fallback/{name}")

    assert response.status_code == 200, response.content
    body = response.json()["data"]
    rows = body["results"] if isinstance(body, dict) else body  # DRF's pagination: count and results
    expected = view.get_serializer(queryset, many=True).data
    assert json.dumps(rows) == canonical(JSONRenderer().render(expected))
    assert plans_used == []


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/planned", "/generated", "/offset", "/unpaginated"])
def test_plain_lists_are_read_through_their_plan(client, specimens_in_db, plans_used, url):
    response = client.get(url)

    expected = SpecimenSerializer(Specimen.objects.order_by("pk"), many=True).data
    assert json.dumps(response.json()["data"]) == canonical(JSONRenderer().render(expected))
    assert len(plans_used) == 1


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/planned", "/generated"])
def test_planned_lists_make_no_instances_and_the_same_queries_for_any_page_size(client, monkeypatch, url):
    category = Category.objects.create(name="tools")
    Specimen.objects.bulk_create(Specimen(char=f"n{number}", category=category) for number in range(120))
    instances = []

    def made(**kwargs):
        instances.append(kwargs["instance"])

    post_init.connect(made, sender=Specimen, weak=False)
    client.get(url)  # the session and the user are read once and cached on the client's side
    queries = {}

    for size in (20, 100):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{url}?page_size={size}")
        assert len(response.json()["data"]) == size
        queries[size] = [query["sql"] for query in captured.captured_queries]

    post_init.disconnect(made, sender=Specimen)
    assert instances == []
    assert len(queries[20]) == len(queries[100])
    assert not any("example_category" in sql for sql in queries[100])  # foreign keys read as ids


REST_FRAMEWORK_FORMATS = {
    "COERCE_BIGINT_TO_STRING": True,
    "COERCE_DECIMAL_TO_STRING": False,
    "DATETIME_FORMAT": "%d.%m.%Y %H:%M:%S.%f",
    "DATE_FORMAT": "%d.%m.%Y",
    "TIME_FORMAT": "%H.%M",
}


@pytest.mark.parametrize("changes", [{"USE_TZ": False}, {"REST_FRAMEWORK": REST_FRAMEWORK_FORMATS}])
def test_plans_follow_setting_changes(settings, specimens_in_db, changes):
    Specimen.objects.create(
        day=datetime.date(2026, 1, 2),
        clock=datetime.time(3, 4, 5, 6),
        precise=decimal.Decimal("0.00001"),
        big=2**40,
    )
    read_plan(SpecimenSerializer)  # made before the change
    for name, value in changes.items():
        setattr(settings, name, {**getattr(settings, name), **value} if isinstance(value, dict) else value)
    queryset = Specimen.objects.order_by("pk")
    plan = read_plan(SpecimenSerializer)

    expected = JSONRenderer().render(SpecimenSerializer(queryset, many=True).data)
    assert render(planned(plan, queryset)) == expected
    assert render([plan.represent_instance(specimen) for specimen in queryset]) == expected
