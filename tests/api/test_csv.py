"""CSV export: streamed from list views, flattened, by Accept or ?format=csv."""

import csv
import decimal
import io

import pytest
from django.http import StreamingHttpResponse

from kit import checks
from kit.conf import kit_settings
from tests.api.conftest import assert_problem
from tests.example.models import Category, Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    tools = Category.objects.create(name="tools")
    return [
        Item.objects.create(name="hammer", price=decimal.Decimal("9.90"), category=tools, count=1),
        Item.objects.create(name="=HYPERLINK()", price=decimal.Decimal("-1.50"), is_active=False),
        Item.objects.create(name='comma, "quote"\nnewline', price=decimal.Decimal("0")),
    ]


def read_csv(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(content.decode())))


@pytest.mark.parametrize("how", [{"HTTP_ACCEPT": "text/csv"}, {"QUERY_STRING": "format=csv"}])
def test_list_is_streamed_as_csv_with_dotted_nested_columns(client, items, how):
    response = client.get("/api/test/export/items", **how)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="item.csv"'
    assert response["X-Request-ID"]
    rows = read_csv(response)
    assert list(rows[0]) == [
        "id",
        "name",
        "price",
        "is_active",
        "uid",
        "created_at",
        "category.id",
        "category.name",
        "labels",
    ]
    hammer, formula, quoted = rows
    assert hammer["name"] == "hammer"
    assert hammer["price"] == "9.90"
    assert hammer["is_active"] == "true"
    assert hammer["uid"] == str(items[0].uid)
    assert hammer["created_at"].endswith("Z")
    assert (hammer["category.id"], hammer["category.name"]) == (str(items[0].category_id), "tools")
    assert hammer["labels"] == '["HAMMER"]'
    assert formula["name"] == "'=HYPERLINK()"  # defused for spreadsheets
    assert formula["price"] == "-1.50"  # numbers keep their sign
    assert (formula["category.id"], formula["category.name"], formula["labels"]) == ("", "", "[]")
    assert quoted["name"] == 'comma, "quote"\nnewline'


def test_csv_export_ignores_pagination_and_streams_every_row(client):
    Item.objects.bulk_create(Item(name=f"item {n}") for n in range(60))
    response = client.get("/api/test/export/items?format=csv")
    assert len(read_csv(response)) == 60
    json_response = client.get("/api/test/export/items")
    assert len(json_response.json()["data"]) == 25


def test_an_export_beyond_the_row_limit_is_refused_with_a_problem(client, settings):
    assert kit_settings.CSV_MAX_ROWS == 10_000  # on by default
    settings.KIT = {"CSV_MAX_ROWS": 50}
    Item.objects.bulk_create(Item(name=f"item {n}", count=n % 2) for n in range(60))

    problem = assert_problem(client.get("/api/test/export/items?format=csv"), 400, "export_too_large")
    assert problem["detail"] == "The export matches more than 50 rows: narrow it with filters."
    assert len(read_csv(client.get("/api/test/export/items?format=csv&count=1"))) == 30  # narrowed
    Item.objects.filter(name__in=[f"item {n}" for n in range(10)]).delete()
    assert len(read_csv(client.get("/api/test/export/items?format=csv"))) == 50  # exactly the limit


def test_the_row_limit_can_be_turned_off(client, settings):
    settings.KIT = {"CSV_MAX_ROWS": None}
    Item.objects.bulk_create(Item(name=f"item {n}") for n in range(60))
    assert len(read_csv(client.get("/api/test/export/items?format=csv"))) == 60


def test_filters_and_ordering_apply_to_the_export(client, items):
    rows = read_csv(client.get("/api/test/export/items?format=csv&category_name=TOOLS"))
    assert [row["name"] for row in rows] == ["hammer"]
    rows = read_csv(client.get("/api/test/export/items?format=csv&ordering=-name&is_active=true"))
    assert [row["name"] for row in rows] == ["hammer", 'comma, "quote"\nnewline']
    problem = assert_problem(
        client.get("/api/test/export/items?format=csv&colour=red"), 400, "invalid_filter"
    )
    assert "colour" in problem["detail"]


def test_empty_list_has_just_the_header(client):
    response = client.get("/api/test/export/items", HTTP_ACCEPT="text/csv")
    assert b"".join(response.streaming_content).decode().strip().startswith("id,name,price")
    assert read_csv(client.get("/api/test/export/items", HTTP_ACCEPT="text/csv")) == []


@pytest.mark.parametrize("query", ["page=0", "page_size=101", "page=", "page=x"])
def test_the_export_checks_pagination_parameters_as_a_page_would(client, items, query):
    # Documented (and checked) for the list in every format: the export does not ignore bad ones.
    response = client.get(f"/api/test/export/items?format=csv&{query}")

    problem = assert_problem(response, 400, "invalid_filter")
    assert problem["errors"][0]["attr"] == query.split("=")[0]


def test_valid_pagination_parameters_do_not_cut_the_export(client, items):
    rows = read_csv(client.get("/api/test/export/items?format=csv&page=2&page_size=1"))

    assert len(rows) == Item.objects.count()


def test_json_stays_the_default(client, items):
    response = client.get("/api/test/export/items", HTTP_ACCEPT="*/*")
    assert response["Content-Type"] == "application/json"


def test_csv_is_not_offered_for_create(client):
    response = client.post(
        "/api/test/export/items?format=csv", {"name": "x"}, content_type="application/json"
    )
    assert_problem(response, 406, "not_acceptable")  # no renderer for that format (kit.api.negotiation)


def test_renderer_flattens_plain_data(client):
    response = client.get("/api/test/export/rendered", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert read_csv(response) == [
        {"a": "1", "nested.b": "'=cmd()", "nested.c": "", "d": ""},
        {"a": "2", "nested.b": "", "nested.c": "", "d": "[1,2]"},
    ]


def test_schema_offers_csv_on_list_operations_only(client):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    item_list = schema["paths"]["/api/v1/items"]
    assert "text/csv" in item_list["get"]["responses"]["200"]["content"]
    assert "text/csv" not in item_list["post"]["responses"]["201"]["content"]
    assert "text/csv" not in schema["paths"]["/api/v1/items/{id}"]["get"]["responses"]["200"]["content"]


@pytest.mark.parametrize(
    ("limit", "ids"), [(None, []), (0, []), (500, []), (-1, ["kit.E070"]), ("many", ["kit.E070"])]
)
def test_a_row_limit_that_is_no_number_of_rows_is_a_check_error(settings, limit, ids):
    settings.KIT = {"CSV_MAX_ROWS": limit}
    assert [message.id for message in checks.check_csv_max_rows(None)] == ids
