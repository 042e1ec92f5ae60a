"""Page-number and limit/offset pagination: ``meta.pagination``, limits, pages past the end."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

URL = "/api/v1/filtered-items"
OFFSET_URL = "/api/v1/offset-items"


def rows(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.data]


def pagination(response) -> dict:
    meta = response.meta["pagination"]
    if response["Content-Type"].startswith("application/json") and isinstance(response.json(), dict):
        assert response.json()["meta"]["pagination"] == meta  # the envelope carries it
    return meta


def test_first_page_with_the_default_size_newest_first(client, thirty):
    response = client.get(URL)

    assert rows(response) == [f"item{index:02}" for index in range(29, 4, -1)]
    assert pagination(response) == {
        "count": 30,
        "page": 1,
        "pages": 2,
        "page_size": 25,
        "next": "http://testserver/api/v1/filtered-items?page=2",
        "previous": None,
    }


def test_last_page_links_back_and_keeps_other_parameters(client, thirty):
    response = client.get(f"{URL}?page_size=10&page=3&count__ge=0")

    assert rows(response) == [f"item{index:02}" for index in range(9, -1, -1)]
    meta = pagination(response)
    assert meta["next"] is None
    assert meta["previous"] == "http://testserver/api/v1/filtered-items?count__ge=0&page=2&page_size=10"
    assert (meta["count"], meta["pages"], meta["page_size"]) == (30, 3, 10)


def test_filters_and_pagination_together(client, thirty):
    response = client.get(f"{URL}?name__ilike=ITEM1%25&page=2&page_size=4")

    assert rows(response) == ["item15", "item14", "item13", "item12"]
    assert pagination(response)["count"] == 10
    assert pagination(response)["pages"] == 3


def test_page_past_the_end_is_an_empty_page(client, thirty):
    response = client.get(f"{URL}?page=7&page_size=10")

    assert rows(response) == []
    meta = pagination(response)
    assert (meta["count"], meta["page"], meta["pages"], meta["next"]) == (30, 7, 3, None)
    assert meta["previous"] == "http://testserver/api/v1/filtered-items?page=3&page_size=10"


def test_empty_list(client, db):
    response = client.get(URL)

    assert rows(response) == []
    assert pagination(response) == {
        "count": 0,
        "page": 1,
        "pages": 0,
        "page_size": 25,
        "next": None,
        "previous": None,
    }


def test_maximum_page_size_is_accepted(client, thirty):
    assert len(rows(client.get(f"{URL}?page_size=100"))) == 30


@override_settings(KIT={"PAGE_SIZE": 3, "MAX_PAGE_SIZE": 5})
def test_sizes_come_from_the_kit_settings(client, thirty):
    assert len(rows(client.get(URL))) == 3
    assert len(rows(client.get(f"{URL}?page_size=5"))) == 5
    assert client.get(f"{URL}?page_size=6").status_code == 400


def test_explicit_ordering_is_kept(client, thirty):
    assert rows(client.get(f"{URL}?ordering=name&page_size=3")) == ["item00", "item01", "item02"]


def test_limit_offset(client, thirty):
    response = client.get(f"{OFFSET_URL}?limit=5&offset=10")

    assert rows(response) == [f"item{index:02}" for index in range(19, 14, -1)]
    assert pagination(response) == {
        "count": 30,
        "limit": 5,
        "offset": 10,
        "next": "http://testserver/api/v1/offset-items?limit=5&offset=15",
        "previous": "http://testserver/api/v1/offset-items?limit=5&offset=5",
    }


def test_limit_offset_defaults_and_end(client, thirty):
    first = client.get(OFFSET_URL)
    assert len(rows(first)) == 25
    assert pagination(first)["previous"] is None
    assert pagination(first)["next"] == "http://testserver/api/v1/offset-items?limit=25&offset=25"

    past = client.get(f"{OFFSET_URL}?offset=40&limit=10")
    assert rows(past) == []
    assert pagination(past)["next"] is None
    assert pagination(past)["previous"] == "http://testserver/api/v1/offset-items?limit=10&offset=20"


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=101", "limit=x", "offset=-1", "offset=1.5", "limit=1&limit=2"]
)
def test_invalid_limit_offset_answers_400(client, thirty, query):
    response = client.get(f"{OFFSET_URL}?{query}")

    assert response.status_code == 400


@pytest.mark.parametrize(
    ("query", "queries", "count"),
    [
        ("page=1", 2, 30),  # a full page: COUNT is needed
        ("page=2", 1, 30),  # the last page, 5 rows: the count follows from it
        ("page=3", 2, 30),  # past the end: COUNT tells the real count
        ("page=1&is_active=false", 1, 0),  # an empty first page: nothing to count
    ],
)
@pytest.mark.usefixtures("invalidations_checked")  # no periodic check in the count
def test_the_last_page_needs_no_count_query(client, thirty, query, queries, count, django_assert_num_queries):
    client.get(URL)  # the session and the user are loaded once
    with django_assert_num_queries(queries + 2):  # + the session and the user of the admin client
        response = client.get(f"{URL}?{query}")
    assert pagination(response)["count"] == count


@pytest.mark.parametrize(
    ("query", "queries", "count"),
    [("limit=20&offset=20", 1, 30), ("limit=10&offset=20", 2, 30), ("offset=30", 2, 30)],
)
@pytest.mark.usefixtures("invalidations_checked")  # no periodic check in the count
def test_the_last_slice_needs_no_count(client, thirty, query, queries, count, django_assert_num_queries):
    client.get(OFFSET_URL)
    with django_assert_num_queries(queries + 2):
        response = client.get(f"{OFFSET_URL}?{query}")
    assert pagination(response)["count"] == count
