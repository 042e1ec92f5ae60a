"""Cursor pagination: pages walked by position, never counted; bad input is a 400 problem."""

import pytest

from tests.example.models import Item

pytestmark = pytest.mark.django_db

URL = "/api/v1/cursor-items"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["data"]]


@pytest.mark.usefixtures("invalidations_checked")  # no periodic check in the count
def test_pages_are_walked_by_cursor_newest_first_without_counting(client, thirty, django_assert_num_queries):
    client.get(URL)  # the admin client's session and user are loaded once
    with django_assert_num_queries(3):  # session, user, the page: no COUNT
        first = client.get(f"{URL}?page_size=12")
    assert names(first) == [f"item{index:02}" for index in range(29, 17, -1)]
    meta = first.json()["meta"]["pagination"]
    assert set(meta) == {"page_size", "next", "previous"}
    assert meta["page_size"] == 12 and meta["previous"] is None
    second = client.get(meta["next"])
    assert names(second) == [f"item{index:02}" for index in range(17, 5, -1)]
    third = client.get(second.json()["meta"]["pagination"]["next"])
    assert names(third) == [f"item{index:02}" for index in range(5, -1, -1)]
    assert third.json()["meta"]["pagination"]["next"] is None
    back = client.get(third.json()["meta"]["pagination"]["previous"])
    assert names(back) == names(second)


def test_a_row_added_meanwhile_does_not_shift_the_next_page(client, thirty):
    first = client.get(f"{URL}?page_size=10")
    Item.objects.create(name="newer", count=99)
    second = client.get(first.json()["meta"]["pagination"]["next"])
    assert names(second) == [f"item{index:02}" for index in range(19, 9, -1)]


def test_filters_apply_and_stay_in_the_links(client, thirty):
    response = client.get(f"{URL}?count__ge=20&page_size=4")
    assert names(response) == ["item29", "item28", "item27", "item26"]
    assert "count__ge=20" in response.json()["meta"]["pagination"]["next"]


@pytest.mark.parametrize(
    "query", ["cursor=not-a-cursor", "cursor=bz0tMQ%3D%3D", "page_size=0", "page_size=x", "page_size=101"]
)
def test_bad_input_is_a_400_problem(client, thirty, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "invalid_filter"
    assert problem["errors"][0]["parameter"] in ("cursor", "page_size")


def test_the_openapi_schema_documents_the_cursor(admin_client):
    schema = admin_client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/cursor-items"]["get"]
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert {"cursor", "page_size"} <= parameters
