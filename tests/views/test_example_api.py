"""The example API's model views over HTTP: status codes, headers and bodies."""

from decimal import Decimal

import pytest

from tests.example.models import Category, Item

pytestmark = pytest.mark.django_db

JSON = "application/json"


def problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["code"]) == (status, code)
    return body


@pytest.fixture
def tools():
    return Category.objects.create(name="tools")


@pytest.fixture
def hammer(tools):
    return Item.objects.create(name="hammer", count=3, price=Decimal("9.50"), category=tools)


def test_create_answers_201_with_the_location_of_the_new_item(client, tools):
    response = client.post(
        "/api/v1/items", {"name": "saw", "count": 2, "category": tools.pk}, content_type=JSON
    )

    assert response.status_code == 201
    created = Item.objects.get(name="saw")
    assert response["Location"] == f"http://testserver/api/v1/items/{created.pk}"
    body = response.json()
    assert body["data"]["id"] == created.pk
    assert body["meta"]["request_id"] == response["X-Request-ID"]
    assert client.get(response["Location"]).data["name"] == "saw"


def test_list_is_newest_first(client):
    first = Item.objects.create(name="first")
    second = Item.objects.create(name="second")

    response = client.get("/api/v1/items")

    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["data"]] == [second.pk, first.pk]
    assert body["meta"]["pagination"]["count"] == 2


def test_retrieve_answers_the_item(client, hammer):
    response = client.get(f"/api/v1/items/{hammer.pk}")

    assert response.status_code == 200
    assert response.data["name"] == "hammer"
    assert response.data["price"] == "9.50"


@pytest.mark.parametrize(
    "path", ["/api/v1/items/999999", "/api/v1/categories/999999", "/api/v1/categories/abc"]
)
def test_missing_ids_answer_404(client, path):
    problem(client.get(path), 404, "not_found")
    problem(client.patch(path, {"name": "x"}, content_type=JSON), 404, "not_found")
    problem(client.delete(path), 404, "not_found")


def test_an_id_beyond_the_integer_range_answers_404(client):
    problem(client.get(f"/api/v1/categories/{2**70}"), 404, "not_found")


def test_patch_changes_only_the_given_fields(client, hammer):
    response = client.patch(f"/api/v1/items/{hammer.pk}", {"count": 7}, content_type=JSON)

    assert response.status_code == 200
    hammer.refresh_from_db()
    assert (hammer.count, hammer.name, hammer.price) == (7, "hammer", Decimal("9.50"))


def test_patch_with_an_empty_body_is_a_no_op(client, hammer):
    before = client.get(f"/api/v1/items/{hammer.pk}").data

    response = client.patch(f"/api/v1/items/{hammer.pk}", {}, content_type=JSON)

    assert response.status_code == 200
    assert response.data == before


def test_put_replaces_the_given_fields(client, hammer):
    body = {"name": "mallet", "count": 1, "price": "2.00", "is_active": False, "category": None}

    response = client.put(f"/api/v1/items/{hammer.pk}", body, content_type=JSON)

    assert response.status_code == 200
    hammer.refresh_from_db()
    assert (hammer.name, hammer.count, hammer.price, hammer.is_active, hammer.category) == (
        "mallet",
        1,
        Decimal("2.00"),
        False,
        None,
    )


def test_put_requires_every_required_field(client, hammer):
    response = client.put(f"/api/v1/items/{hammer.pk}", {"count": 1}, content_type=JSON)

    body = problem(response, 400, "validation_error")
    assert [(error["attr"], error["code"]) for error in body["errors"]] == [("name", "required")]
    hammer.refresh_from_db()
    assert hammer.count == 3


def test_delete_answers_204_with_an_empty_body(client, hammer):
    response = client.delete(f"/api/v1/items/{hammer.pk}")

    assert response.status_code == 204
    assert response.content == b""
    assert not Item.objects.filter(pk=hammer.pk).exists()


def test_validation_errors_answer_400_naming_each_field(client):
    response = client.post("/api/v1/items", {"count": "many", "price": "1.234"}, content_type=JSON)

    body = problem(response, 400, "validation_error")
    assert {(error["attr"], error["code"], error["pointer"]) for error in body["errors"]} == {
        ("name", "required", "#/name"),
        ("count", "invalid", "#/count"),
        ("price", "max_decimal_places", "#/price"),
    }
    assert not Item.objects.exists()


def test_a_duplicate_name_answers_409_conflict(client, hammer):
    response = client.post("/api/v1/items", {"name": "hammer"}, content_type=JSON)

    body = problem(response, 409, "conflict")
    assert [(error["attr"], error["code"]) for error in body["errors"]] == [("name", "unique")]
    assert Item.objects.count() == 1


def test_renaming_onto_an_existing_name_answers_409(client, hammer):
    saw = Item.objects.create(name="saw")

    response = client.patch(f"/api/v1/items/{saw.pk}", {"name": "hammer"}, content_type=JSON)

    problem(response, 409, "conflict")
    saw.refresh_from_db()
    assert saw.name == "saw"


def test_a_duplicate_with_other_errors_answers_400_listing_all(client, hammer):
    response = client.post("/api/v1/items", {"name": "hammer", "count": "many"}, content_type=JSON)

    body = problem(response, 400, "validation_error")
    assert {error["code"] for error in body["errors"]} == {"unique", "invalid"}


def test_router_viewset_serves_categories_from_the_model_alone(client, tools):
    created = client.post("/api/v1/categories", {"name": "garden"}, content_type=JSON)
    listed = client.get("/api/v1/categories")

    assert created.status_code == 201
    garden = Category.objects.get(name="garden")
    assert created["Location"] == f"http://testserver/api/v1/categories/{garden.pk}"
    assert created.data == {"id": garden.pk, "name": "garden"}
    assert [row["name"] for row in listed.data] == ["garden", "tools"]  # the model's ordering
    assert client.patch(created["Location"], {"name": "yard"}, content_type=JSON).data["name"] == "yard"
    assert client.delete(created["Location"]).status_code == 204
