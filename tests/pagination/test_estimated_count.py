"""``KIT["COUNT_ESTIMATE_ABOVE"]``: large lists on PostgreSQL answer the planner's estimate as count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kit import checks
from kit.api.pagination import LimitOffsetPagination, PageNumberPagination

pytestmark = pytest.mark.django_db

URL = "/api/v1/filtered-items"
OFFSET_URL = "/api/v1/offset-items"
POSTGRES = connection.vendor == "postgresql"
only_postgres = pytest.mark.skipif(not POSTGRES, reason="PostgreSQL estimates (its own pass)")


@pytest.fixture
def estimate_above(settings):
    def configure(bound):
        settings.KIT = {**getattr(settings, "KIT", {}), "COUNT_ESTIMATE_ABOVE": bound}

    return configure


@pytest.fixture
def analyzed(thirty):
    """Thirty items, with statistics the planner estimates from (rows of this transaction count)."""
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE example_item")
    return thirty


def get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    statements = [query["sql"].upper() for query in captured.captured_queries]
    return response.json()["meta"]["pagination"], statements


@only_postgres
def test_a_list_estimated_above_the_bound_answers_the_estimate(client, analyzed, estimate_above):
    estimate_above(10)

    meta, statements = get(client, f"{URL}?page_size=5")

    assert meta["count_estimated"] is True
    assert 20 <= meta["count"] <= 40  # the planner's estimate of 30 rows
    assert meta["pages"] == -(-meta["count"] // 5)
    assert meta["next"] == "http://testserver/api/v1/filtered-items?page=2&page_size=5"
    assert any(statement.startswith("EXPLAIN") for statement in statements)
    assert not any("COUNT(" in statement for statement in statements)


@only_postgres
def test_a_list_estimated_below_the_bound_is_counted(client, analyzed, estimate_above):
    estimate_above(1000)

    meta, statements = get(client, f"{URL}?page_size=5")

    assert (meta["count"], meta["count_estimated"], meta["pages"]) == (30, False, 6)
    assert any("COUNT(" in statement for statement in statements)


@only_postgres
def test_an_estimated_list_links_the_next_page_whenever_its_page_is_full(client, analyzed, estimate_above):
    estimate_above(10)
    meta, _ = get(client, f"{URL}?page_size=5&page=2")
    last_full = -(-meta["count"] // 5)

    meta, _ = get(client, f"{URL}?page_size=5&page={last_full}")

    assert meta["count_estimated"] is True
    assert meta["next"] == f"http://testserver/api/v1/filtered-items?page={last_full + 1}&page_size=5"


@only_postgres
def test_an_estimate_is_bounded_by_what_the_page_shows(client, analyzed, estimate_above):
    estimate_above(10)
    meta, _ = get(client, f"{URL}?page_size=5")
    estimate = meta["count"]

    past_the_end, _ = get(client, f"{URL}?page_size=5&page=100")

    assert (past_the_end["count"], past_the_end["count_estimated"]) == (min(estimate, 495), True)
    assert past_the_end["next"] is None


@only_postgres
def test_the_filtered_query_is_estimated(client, analyzed, estimate_above):
    estimate_above(2)

    meta, statements = get(client, f"{URL}?count__ge=20&page_size=3")

    assert meta["count_estimated"] is True
    assert 1 <= meta["count"] <= 30
    explain = next(statement for statement in statements if statement.startswith("EXPLAIN"))
    assert "WHERE" in explain


@only_postgres
def test_limit_offset_lists_are_estimated_too(client, analyzed, estimate_above):
    estimate_above(10)

    meta, _ = get(client, f"{OFFSET_URL}?limit=5&offset=5")

    assert meta["count_estimated"] is True
    assert meta["next"] == "http://testserver/api/v1/offset-items?limit=5&offset=10"


def test_a_last_page_is_counted_exactly_without_a_query(client, analyzed, estimate_above):
    estimate_above(10)

    meta, statements = get(client, f"{URL}?page_size=7&page=5")

    assert (meta["count"], meta["count_estimated"], meta["next"]) == (30, False, None)
    assert not any("COUNT(" in statement or statement.startswith("EXPLAIN") for statement in statements)


@pytest.mark.skipif(POSTGRES, reason="other databases count exactly")
def test_other_databases_count_exactly(client, analyzed, estimate_above):
    estimate_above(10)

    meta, statements = get(client, f"{URL}?page_size=5")

    assert (meta["count"], meta["count_estimated"], meta["pages"]) == (30, False, 6)
    assert not any(statement.startswith("EXPLAIN") for statement in statements)


def test_without_the_option_pagination_has_no_estimate_flag(client, analyzed):
    meta, _ = get(client, f"{URL}?page_size=5")

    assert "count_estimated" not in meta
    assert meta["count"] == 30


@pytest.mark.parametrize("bound", ["many", -1, True, 2.5])
def test_a_bound_that_is_not_a_number_of_rows_is_an_error(settings, bound):
    settings.KIT = {**getattr(settings, "KIT", {}), "COUNT_ESTIMATE_ABOVE": bound}

    assert [message.id for message in checks.check_count_estimate(None)] == ["kit.E016"]


def test_the_option_without_postgresql_warns(settings):
    settings.KIT = {**getattr(settings, "KIT", {}), "COUNT_ESTIMATE_ABOVE": 100_000}

    expected = [] if POSTGRES else ["kit.W016"]
    assert [message.id for message in checks.check_count_estimate(None)] == expected
    settings.KIT = {**settings.KIT, "COUNT_ESTIMATE_ABOVE": None}
    assert checks.check_count_estimate(None) == []


@pytest.mark.parametrize("pagination", [PageNumberPagination, LimitOffsetPagination])
def test_the_schema_describes_the_flag_as_optional(pagination):
    schema = pagination().get_pagination_schema()

    assert schema["properties"]["count_estimated"]["type"] == "boolean"
    assert "count_estimated" not in schema["required"]
    assert "count" in schema["required"]
