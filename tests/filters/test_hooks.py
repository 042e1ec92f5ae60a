"""A filter class's own code always runs: hooks of its own keep django-filter's path (docs/performance.md)."""

import json

import django_filters
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.test import APIRequestFactory

from kit.filters import ModelFilter, operators
from kit.filters.backends import FilterBackend
from kit.filters.plan import FilterPlan
from tests.example.models import Item
from tests.filters.conftest import ALL

pytestmark = pytest.mark.django_db
factory = APIRequestFactory()
ACTIVE = {"apple", "Apricot", "Blueberry", "cherry_pie", "Éclair", "éclair mini"}


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "name"]


class BaseFilter(ModelFilter):
    class Meta:
        model = Item
        fields = {"name": [operators.EQ], "count": [operators.GT]}


def listing(filter_class, **attributes):
    attributes = {"queryset": Item.objects.all(), "serializer_class": ItemSerializer, **attributes}
    return type("Listing", (ListAPIView,), {"filterset_class": filter_class, **attributes}).as_view()


def get(view, query=""):
    response = view(factory.get(f"/items?{query}"))
    response.render()
    return response


def problem_errors(response) -> list[dict]:
    assert response.status_code == 400, response.content
    body = json.loads(response.content)
    assert body["code"] == "invalid_filter"
    return body["errors"]


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.data}


# FilterSet hooks django-filter runs per request: the class keeps django-filter's path.


class OwnFilterQueryset(BaseFilter):
    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).filter(is_active=True)


class OwnQs(BaseFilter):
    @property
    def qs(self):
        return super().qs.exclude(name="apple")


class OwnInit(BaseFilter):
    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.queryset = self.queryset.filter(count__gte=0)


class OwnForm(BaseFilter):
    @property
    def form(self):  # bananas unless the query names another
        if not hasattr(self, "_form"):
            data = self.data.copy()
            data.setdefault("name", "banana")
            self._form = self.get_form_class()(data, prefix=self.form_prefix)
        return self._form


class NoBananas(forms.Form):
    def clean(self):
        if self.cleaned_data.get("name") == "banana":
            raise ValidationError("No bananas here.", code="no_bananas")
        return self.cleaned_data


class MetaForm(BaseFilter):
    class Meta(BaseFilter.Meta):
        form = NoBananas


class OwnGetFormClass(BaseFilter):
    def get_form_class(self):
        return type("Form", (NoBananas, super().get_form_class()), {})


class OwnIsValid(BaseFilter):
    def is_valid(self):  # a name or a count is required
        return bool(self.data) and super().is_valid()


class OwnErrors(BaseFilter):
    @property
    def errors(self):
        found = super().errors
        return {**found, "help": ["See the filters' documentation."]} if found else found


@pytest.mark.parametrize(
    ("filter_class", "query", "expected"),
    [
        (OwnFilterQueryset, "count__gt=0", {"apple", "Apricot", "Éclair", "éclair mini"}),
        (OwnQs, "count__gt=0", {"Apricot", "banana", "100% juice", "Éclair", "éclair mini", "back\\slash"}),
        (OwnInit, "", ALL - {"cherry_pie"}),
        (OwnForm, "", {"banana"}),
        (MetaForm, "name=apple", {"apple"}),
        (OwnGetFormClass, "name=apple", {"apple"}),
        (OwnIsValid, "count__gt=7", {"banana", "100% juice"}),
        (OwnErrors, "name=cherry_pie", {"cherry_pie"}),
    ],
)
def test_filter_classes_with_hooks_of_their_own_filter_through_them(items, filter_class, query, expected):
    assert FilterPlan.for_class(filter_class).hook is not None
    assert names(get(listing(filter_class), query)) == expected


@pytest.mark.parametrize("filter_class", [MetaForm, OwnGetFormClass])
def test_a_forms_own_validation_answers_invalid_filter(items, filter_class):
    assert problem_errors(get(listing(filter_class), "name=banana")) == [
        {
            "attr": "non_field_errors",
            "code": "no_bananas",
            "detail": "No bananas here.",
            "parameter": "non_field_errors",
        }
    ]


def test_an_own_is_valid_refuses_and_own_errors_are_answered(items):
    assert problem_errors(get(listing(OwnIsValid)))[0]["code"] == "invalid"
    errors = problem_errors(get(listing(OwnErrors), "count__gt=many"))
    assert {(error["attr"], error["code"]) for error in errors} == {
        ("count__gt", "invalid"),
        ("help", "invalid"),
    }


def test_django_filters_path_still_refuses_unknown_and_repeated_parameters(items):
    errors = problem_errors(get(listing(OwnQs), "colour=red&name=a&name=b"))

    assert [(error["attr"], error["code"]) for error in errors] == [
        ("colour", "unknown_parameter"),
        ("name", "repeated_parameter"),
    ]


def test_plain_filter_classes_keep_the_prepared_plan():
    assert FilterPlan.for_class(BaseFilter).hook is None


# Filters of the project's own: their form field parses, their ``filter`` filters, a method sees
# the request's data.


class LowerField(forms.CharField):
    def to_python(self, value):
        return super().to_python(value).lower()


class LowerFilter(django_filters.CharFilter):
    field_class = LowerField


class ReversedFilter(django_filters.CharFilter):
    def filter(self, qs, value):
        return super().filter(qs, value[::-1])


class OwnFilters(BaseFilter):
    lower = LowerFilter(field_name="name")
    backwards = ReversedFilter(field_name="name")
    heavy = django_filters.BooleanFilter(method="filter_heavy")

    def filter_heavy(self, queryset, name, value):
        limit = int(self.data.get("limit", 10))  # another parameter of the request
        return queryset.filter(count__gte=limit) if value else queryset.filter(count__lt=limit)


class Overrides(BaseFilter):
    class Meta(BaseFilter.Meta):
        filter_overrides = {models.CharField: {"filter_class": LowerFilter}}


class OwnFilterForField(BaseFilter):
    @classmethod
    def filter_for_field(cls, field, field_name, lookup_expr=None):
        found = super().filter_for_field(field, field_name, lookup_expr)
        if field_name == "name":
            found.lookup_expr = "iexact"
        return found


class OwnGetFilters(BaseFilter):
    @classmethod
    def get_filters(cls):
        found = super().get_filters()
        del found["count__gt"]
        return found


@pytest.mark.parametrize(
    ("filter_class", "query", "expected"),
    [
        (OwnFilters, "lower=APPLE", {"apple"}),
        (OwnFilters, "backwards=elppa", {"apple"}),
        (OwnFilters, "heavy=true&limit=50", {"100% juice"}),
        (OwnFilters, "heavy=true", {"banana", "100% juice"}),
        (Overrides, "name=APPLE", {"apple"}),
        (OwnFilterForField, "name=APPLE", {"apple"}),
    ],
)
def test_filters_of_the_projects_own_run(items, filter_class, query, expected):
    view = listing(filter_class, extra_query_params=["limit"])

    assert names(get(view, query)) == expected


def test_filter_class_hooks_run_when_the_class_is_made(items):
    assert problem_errors(get(listing(OwnGetFilters), "count__gt=1"))[0]["code"] == "unknown_parameter"


# A backend of the project's own.


class DefaultingBackend(FilterBackend):
    def get_filterset_kwargs(self, request, queryset, view):
        found = super().get_filterset_kwargs(request, queryset, view)
        data = found["data"].copy()
        data.setdefault("count__gt", "6")
        return {**found, "data": data}


def test_a_backends_own_get_filterset_kwargs_runs(items):
    view = listing(BaseFilter, filter_backends=[DefaultingBackend])

    assert names(get(view)) == {"banana", "100% juice", "Éclair"}
    assert names(get(view, "count__gt=50")) == {"100% juice"}
