"""The client and assertions against the kit's own views, renderer and problem handler."""

import pytest

from kit.testing import assert_is_envelope, assert_is_problem
from tests.example.models import Item

pytestmark = pytest.mark.urls("tests.testing.urls")


@pytest.fixture
def items(db):
    return [
        Item.objects.create(name=name, count=count) for name, count in [("tea", 3), ("tart", 5), ("jam", 1)]
    ]


def test_a_filtered_page(api_client, items):
    response = api_client.get("/items", {"name__ilike": "t%", "ordering": "name", "page_size": 1})
    assert response.status_code == 200
    assert [item["name"] for item in assert_is_envelope(response, count=2, page=1, pages=2, page_size=1)] == [
        "tart"
    ]
    assert response.data == response.json()["data"]
    assert response.meta["request_id"] == response.headers["X-Request-ID"]
    assert response.meta["pagination"]["next"].startswith("http://testserver/items?")


def test_a_created_item(api_client, db):
    response = api_client.post("/items", {"name": "scone", "count": 2, "price": "1.50"})
    assert response.status_code == 201
    assert response.data["price"] == "1.50"
    assert response.headers["Location"].endswith(f"/items/{response.data['id']}")
    assert Item.objects.get().name == "scone"


def test_a_missing_item_is_a_problem(api_client, db):
    response = api_client.get("/items/999")
    assert_is_problem(response, status=404, code="not_found")
    assert response.problem["instance"] == "/items/999"
    assert response.data is None


def test_validation_errors(api_client, items):
    response = api_client.post("/items", {"name": "tea", "count": "many"})
    problem = assert_is_problem(response, status=400, code="validation_error")
    assert {error["attr"] for error in problem["errors"]} == {"name", "count"}
    assert response.problem == problem


def test_an_unknown_filter(api_client, db):
    response = api_client.get("/items", {"colour": "red"})
    assert_is_problem(response, status=400, code="invalid_filter")


def test_assertion_failures_read_well(api_client, items):
    response = api_client.get("/items")
    with pytest.raises(AssertionError, match=r"meta.pagination.count is 3, expected 2\nbody: \{"):
        assert_is_envelope(response, count=2)
    with pytest.raises(AssertionError, match=r"Content-Type is 'application/json'"):
        assert_is_problem(response)
