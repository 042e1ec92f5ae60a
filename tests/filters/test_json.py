"""CONTAINS on a JSONField: the array holds the element, alike on SQLite, PostgreSQL and MariaDB."""

import pytest
from django.http import QueryDict
from django.urls import path
from drf_spectacular.generators import SchemaGenerator

from kit.errors.exceptions import InvalidFilter
from kit.filters import ModelFilter
from kit.filters.operators import CONTAINS, GT, ILIKE, NOT, STARTSWITH
from kit.filters.plan import FilterPlan
from kit.views import ListModelView
from tests.example.models import Specimen

pytestmark = pytest.mark.django_db

DOCUMENTS = {
    "colours": ["red", "blue"],
    "mixed": [3, "x", 2.5],
    "quoted": ["3"],
    "flag": [True],
    "one": [1],
    "object": {"red": 1},
    "scalar": "red",
    "nested": [["red"]],
    "empty": [],
}


class SpecimenFilter(ModelFilter):
    class Meta:
        model = Specimen
        fields = {"document": (CONTAINS,)}


class SpecimenList(ListModelView):
    model = Specimen
    filter_class = SpecimenFilter
    resource = "specimens"


urlpatterns = [path("api/v1/specimens", SpecimenList.as_view())]


@pytest.fixture
def specimens():
    for name, document in DOCUMENTS.items():
        Specimen.objects.create(char=name, document=document)
    Specimen.objects.create(char="null")


def found(**lookup):
    return set(Specimen.objects.filter(**lookup).values_list("char", flat=True))


def filtered(query):
    plan = FilterPlan.for_class(SpecimenFilter)
    parsed = plan.parse(QueryDict(query), known=frozenset)
    return set(plan.apply(parsed, Specimen.objects.all(), None).values_list("char", flat=True))


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        ("red", {"colours"}),
        (3, {"mixed"}),
        ("3", {"quoted"}),
        (2.5, {"mixed"}),
        (True, {"flag"}),
        (1, {"one"}),
    ],
)
def test_the_has_element_lookup_compares_json_type_and_value(specimens, element, expected):
    assert found(document__has_element=element) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("document__contains=red", {"colours"}),
        ("document__contains=3", {"mixed"}),
        ('document__contains="3"', {"quoted"}),
        ("document__contains=true", {"flag"}),
        ("document__contains=x", {"mixed"}),
        ("document__contains=green", set()),
    ],
)
def test_contains_on_a_json_list_keeps_the_arrays_holding_the_element(specimens, query, expected):
    assert filtered(query) == expected


def test_the_django_filter_form_reads_the_element_the_same_way(specimens):
    queryset = Specimen.objects.all()
    filterset = SpecimenFilter(QueryDict('document__contains="3"'), queryset=queryset)
    assert set(filterset.qs.values_list("char", flat=True)) == {"quoted"}


@pytest.mark.parametrize("value", ["[1]", '{"a": 1}', "null"])
def test_an_element_that_is_no_scalar_is_an_invalid_filter(value):
    with pytest.raises(InvalidFilter):
        filtered(f"document__contains={value}")


@pytest.mark.parametrize("operator", [ILIKE, STARTSWITH, GT, NOT])
def test_operators_that_would_query_a_json_key_are_refused_when_the_class_is_defined(operator):
    with pytest.raises(TypeError, match=f"{operator.upper()} does not apply to the JSONField 'document'"):

        class BadFilter(ModelFilter):
            class Meta:
                model = Specimen
                fields = {"document": (operator,)}


def test_the_openapi_document_describes_the_parameter_as_text(settings):
    settings.ROOT_URLCONF = __name__
    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = schema["paths"]["/api/v1/specimens"]["get"]["parameters"]
    (contains,) = [parameter for parameter in parameters if parameter["name"] == "document__contains"]
    assert contains["schema"] == {"type": "string"}
    assert contains["description"].startswith("document is an array holding the element")
