"""The filter backend's rules: error entries, detail lookups, fallbacks for other django-filter filters."""

import django_filters
import pytest
from django.http import QueryDict
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.test import APIRequestFactory

from kit.errors.exceptions import InvalidFilter
from kit.filters import FieldFilter, ModelFilter, operators
from kit.filters.backends import FilterBackend
from kit.filters.plan import FilterPlan
from kit.views import ListModelView
from tests.example.filters import ItemFilter
from tests.example.models import Item
from tests.filters.conftest import ALL

pytestmark = pytest.mark.django_db
factory = APIRequestFactory()


def call(view_class, query: str = "", **kwargs):
    return view_class.as_view()(factory.get(f"/items?{query}"), **kwargs)


def rows(response) -> set[str]:
    assert response.status_code == 200, response.data
    return {row["name"] for row in response.data}


def invalid(view_class, query: str) -> list[dict]:
    view = view_class()
    view.request = view.initialize_request(factory.get(f"/items?{query}"))
    view.kwargs = {}
    view.format_kwarg = None
    with pytest.raises(InvalidFilter) as raised:
        FilterBackend().filter_queryset(view.request, Item.objects.all(), view)
    return raised.value.errors


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "name", "count"]


class FilteredList(ListAPIView):
    queryset = Item.objects.all()
    serializer_class = ItemSerializer
    filterset_class = ItemFilter


def test_error_entries_name_the_parameters(items):
    errors = invalid(FilteredList, "colour=red&count__gt=99999999999&name__regexp=(")

    assert errors == [
        {
            "attr": "colour",
            "code": "unknown_parameter",
            "detail": "Unknown query parameter 'colour'.",
            "parameter": "colour",
        },
        {
            "attr": "count__gt",
            "code": "out_of_range",
            "detail": "Must be between -2147483648 and 2147483647.",
            "parameter": "count__gt",
        },
        {
            "attr": "name__regexp",
            "code": "invalid_pattern",
            "detail": errors[2]["detail"],
            "parameter": "name__regexp",
        },
    ]
    assert errors[2]["detail"].startswith("Invalid regular expression")


def test_plan_is_built_once_per_class():
    assert FilterPlan.for_class(ItemFilter) is FilterPlan.for_class(ItemFilter)


class MethodFilter(ModelFilter):
    heavy = django_filters.BooleanFilter(method="filter_heavy")
    size = django_filters.ChoiceFilter(field_name="count", choices=[("1", "one"), ("5", "five")])
    cheap = django_filters.RangeFilter(field_name="price")
    starts = FieldFilter(field="name", operator=operators.STARTSWITH)

    class Meta:
        model = Item
        fields = {"name": [operators.EQ]}

    def filter_heavy(self, queryset, name, value):
        return queryset.filter(count__gte=10) if value else queryset.filter(count__lt=10)


class MethodList(FilteredList):
    filterset_class = MethodFilter


def test_method_choice_and_range_filters_use_django_filter(items):
    assert rows(call(MethodList, "heavy=true")) == {"banana", "100% juice"}
    assert rows(call(MethodList, "size=5")) == {"Apricot"}
    assert rows(call(MethodList, "cheap_min=2&cheap_max=3")) == {"Apricot", "Éclair"}
    assert rows(call(MethodList, "starts=b")) == {"banana", "back\\slash"}
    assert invalid(MethodList, "size=7")[0]["attr"] == "size"
    assert invalid(MethodList, "heavy=maybe")[0]["code"] == "invalid"


class RequiredFilter(ModelFilter):
    name = django_filters.CharFilter(required=True)

    class Meta:
        model = Item
        fields: list[str] = []


class RequiredList(FilteredList):
    filterset_class = RequiredFilter


def test_required_filters(items):
    assert invalid(RequiredList, "")[0] == {
        "attr": "name",
        "code": "required",
        "detail": "This query parameter is required.",
        "parameter": "name",
    }
    assert rows(call(RequiredList, "name=apple")) == {"apple"}


class FieldsList(FilteredList):
    filterset_class = None
    filterset_fields = {"count": ["exact", "gte"], "category": ["exact"]}


def test_filterset_fields_give_one_class_per_view(items, categories):
    backend = FilterBackend()
    view = FieldsList()

    assert backend.get_filterset_class(view, Item.objects.all()) is backend.get_filterset_class(
        view, Item.objects.all()
    )
    assert rows(call(FieldsList, "count__gte=10")) == {"banana", "100% juice"}
    assert rows(call(FieldsList, f"category={categories['drink'].pk}")) == {"100% juice"}


class Query(serializers.Serializer):
    expand = serializers.BooleanField(default=False)


class QueryList(ListModelView):
    model = Item
    serializer_class = ItemSerializer
    filter_class = ItemFilter
    query_serializer_class = Query
    extra_query_params = ("trace",)


def test_query_serializer_fields_and_extra_params_are_known(items):
    assert rows(call(QueryList, "expand=true&trace=1&name=apple")) == {"apple"}
    assert invalid(QueryList, "expandd=true")[0]["attr"] == "expandd"


def test_viewset_detail_routes_are_not_filtered(client, categories):
    fruit = categories["fruit"]

    assert client.get(f"/api/v1/categories/{fruit.pk}?colour=red").status_code == 200
    assert client.get("/api/v1/categories?colour=red").status_code == 400


def test_plain_drf_views_are_filtered(items):
    assert rows(call(FilteredList, "name__ilike=B%25&page_size=100")) == {
        "banana",
        "Blueberry",
        "back\\slash",
    }
    assert rows(call(FilteredList)) == ALL


def test_query_dict_with_empty_filters_is_refused():
    plan = FilterPlan.for_class(ItemFilter)
    query = plan.parse(QueryDict("name=&count=&ordering="), lambda: ())

    assert query.values == []
    assert [(error["attr"], error["code"]) for error in query.errors] == [
        ("name", "blank"),
        ("count", "blank"),
        ("ordering", "blank"),
    ]
