"""Every filter parameter, the ordering and the pagination parameters are in the OpenAPI document."""

import pytest

from kit.filters.plan import FilterPlan
from kit.openapi.generators import SchemaGenerator
from tests.example.filters import ItemFilter

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator(urlconf="tests.project.urls").get_schema(public=True)


def parameters(schema, path):
    return {parameter["name"]: parameter for parameter in schema["paths"][path]["get"].get("parameters", [])}


def test_list_documents_every_operator_with_its_type(schema):
    documented = parameters(schema, "/api/v1/filtered-items")

    expected = set(FilterPlan.for_class(ItemFilter).filters) | {"ordering", "page", "page_size", "format"}
    assert set(documented) == expected
    integer = {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}  # the column's range
    assert documented["count__gt"]["schema"] == integer
    assert documented["count__in"]["schema"] == {
        "type": "array",
        "items": integer,
        "minItems": 1,
        "maxItems": 100,
    }
    assert documented["created_at__ge"]["schema"] == {"type": "string", "format": "date-time"}
    assert documented["uid"]["schema"] == {"type": "string", "format": "uuid"}
    assert documented["category"]["schema"] == {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}
    assert "LIKE pattern" in documented["name__ilike"]["description"]
    assert "-count" in documented["ordering"]["schema"]["items"]["enum"]
    assert documented["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}


def test_what_the_filters_accept_is_documented(schema):
    documented = {
        name: parameter["schema"] for name, parameter in parameters(schema, "/api/v1/filtered-items").items()
    }

    # Empty values are refused: strings have a character, lists a value, ranges exactly two.
    assert documented["name"] == {
        "type": "string",
        "minLength": 1,
        "maxLength": 1000,
        "pattern": r"^[^\x00]*$",
    }
    assert documented["name__ilike"]["minLength"] == 1
    assert documented["count__range"]["minItems"] == documented["count__range"]["maxItems"] == 2
    assert documented["name__in"]["items"]["pattern"] == r"^[^\x00,]*$"
    assert documented["ordering"]["minItems"] == 1
    bound = 10**8  # price: max_digits=10, decimal_places=2
    assert documented["price__gt"] == {
        "type": "number",
        "minimum": -bound,
        "maximum": bound,
        "exclusiveMinimum": True,
        "exclusiveMaximum": True,
    }


def test_limit_offset_parameters(schema):
    documented = parameters(schema, "/api/v1/offset-items")

    assert {"limit", "offset"} <= set(documented)
    assert not {"page", "page_size"} & set(documented)


def test_detail_documents_no_filters(schema):
    assert set(parameters(schema, "/api/v1/filtered-items/{id}")) == {"id"}
