"""Every filter parameter, the ordering and the pagination parameters are in the OpenAPI document."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from kit.filters.plan import FilterPlan
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
    assert documented["count__gt"]["schema"] == {"type": "integer"}
    assert documented["count__in"]["schema"] == {"type": "array", "items": {"type": "integer"}}
    assert documented["created_at__ge"]["schema"] == {"type": "string", "format": "date-time"}
    assert documented["uid"]["schema"] == {"type": "string", "format": "uuid"}
    assert documented["category"]["schema"] == {"type": "integer"}
    assert "LIKE pattern" in documented["name__ilike"]["description"]
    assert "-count" in documented["ordering"]["schema"]["items"]["enum"]
    assert documented["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}


def test_limit_offset_parameters(schema):
    documented = parameters(schema, "/api/v1/offset-items")

    assert {"limit", "offset"} <= set(documented)
    assert not {"page", "page_size"} & set(documented)


def test_detail_documents_no_filters(schema):
    assert set(parameters(schema, "/api/v1/filtered-items/{id}")) == {"id"}
