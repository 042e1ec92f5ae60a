"""``read_page`` reads what ``list(queryset[start:start + size])`` reads, with the same SQL, on the
database the suite runs on; a whole table's statement is compiled once, anything else as before."""

import pytest
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.query import ValuesListIterable
from django.db.models.sql import Query
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.api import counting, pages
from kit.api.counting import count_rows
from kit.api.pages import read_page
from tests.example.models import Category, Item, Specimen
from tests.views.test_read_plan import specimens

ORDERINGS = [
    ("pk",),
    ("-id",),
    ("-moment", "pk"),
    ("char", "-id"),
    ("category", "pk"),  # Category's Meta.ordering: a join on its name
    ("-category__name", "-big", "pk"),
    ("size", "level", "-day", "pk"),
]


def rows_of(queryset: QuerySet) -> QuerySet:
    """``queryset`` reading tuples of all its columns, as a read plan makes it."""
    rows = queryset.all()
    rows._iterable_class = ValuesListIterable
    return rows


def read_both(queryset: QuerySet, start: int, size: int) -> tuple[list, list, list[str], list[str]]:
    """``read_page``'s rows and Django's, and the SQL each ran; the ``COUNT(*)`` statement it gives
    is the one ``count_rows`` compiles."""
    with CaptureQueriesContext(connection) as kits:
        page, count = read_page(queryset, start, size)
    with CaptureQueriesContext(connection) as djangos:
        expected = list(queryset[start : start + size])
    if count is not None:
        assert count == counting._statement(queryset.query, connection)
        assert count_rows(queryset, count) == queryset.count()
    sqls = [query["sql"] for query in kits.captured_queries]
    return page, expected, sqls, [query["sql"] for query in djangos.captured_queries]


def read(queryset: QuerySet, start: int, size: int) -> list:
    """The rows of ``read_page``."""
    return read_page(queryset, start, size)[0]


@pytest.fixture
def items(db):
    category = Category.objects.create(name="c")
    return [
        Item.objects.create(name=f"item{index:02}", count=index % 3, category=category) for index in range(7)
    ]


FILTERS = {
    "nothing": lambda text: Q(),
    "icontains (kit)": lambda text: Q(char__ilike=f"%{text}%"),
    "icontains (Django)": lambda text: Q(char__icontains=text),
    "integer or flag": lambda text: Q(integer__gte=len(text)) | Q(flag=True),
    "not": lambda text: ~Q(char__startswith=text),
    "in nothing": lambda text: Q(pk__in=[]),  # no statement
    "not in nothing": lambda text: ~Q(pk__in=[]),  # no WHERE
    "subquery": lambda text: Q(
        category__in=Category.objects.filter(name__ilike=f"{text}%")
    ),  # read by Django
    "join": lambda text: Q(category__name__startswith=text),
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stored=st.lists(specimens, max_size=6),
    ordering=st.sampled_from(ORDERINGS),
    filter_name=st.sampled_from(sorted(FILTERS)),
    text=st.text(alphabet="aA7%_\\s\u0130", max_size=2),
    start=st.integers(0, 7),
    size=st.integers(1, 4),
)
def test_a_page_is_djangos_slice_with_the_same_sql(db, stored, ordering, filter_name, text, start, size):
    Specimen.objects.all().delete()
    category, _ = Category.objects.get_or_create(name="specimens")
    Specimen.objects.bulk_create(
        Specimen(**{**row, "category": category if row["category"] else None}) for row in stored
    )
    queryset = rows_of(Specimen.objects.filter(FILTERS[filter_name](text)).order_by(*ordering))

    for _ in range(2):  # compiled, then reused
        page, expected, sqls, djangos = read_both(queryset, start, size)
        assert page == expected
        assert [tuple(map(type, row)) for row in page] == [tuple(map(type, row)) for row in expected]
        assert sqls == djangos
    reused = pages._statement(queryset, queryset[start : start + size]) is not None
    assert reused == (filter_name not in ("join", "subquery"))  # a subquery: the query's subq_aliases


def test_a_whole_tables_page_is_read_without_compiling(items, monkeypatch):
    pages._STATEMENTS.clear()
    expected = list(Item.objects.order_by("id").values_list())
    assert read(rows_of(Item.objects.order_by("id")), 0, 3) == expected[0:3]

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    compiler_class = type(Item.objects.all().query.get_compiler(using="default"))
    monkeypatch.setattr(compiler_class, "pre_sql_setup", no_compiling)
    assert read(rows_of(Item.objects.order_by("id")), 0, 3) == expected[0:3]
    assert read(rows_of(Item.objects.order_by("id")), 5, 3) == expected[5:8]


def test_the_list_view_reads_its_page_through_the_compiled_statement(client, thirty):
    pages._STATEMENTS.clear()
    first = client.get("/api/v1/filtered-items?page=1&page_size=5").data
    second = client.get("/api/v1/filtered-items?page=2&page_size=5").data
    assert [row["name"] for row in first + second] == [f"item{index:02}" for index in range(29, 19, -1)]
    assert [key[:2] for key, statement in pages._STATEMENTS.items() if statement] == [(Item, "default")]


def test_a_filtered_list_counts_with_the_where_clause_of_its_page(client, thirty, monkeypatch):
    def no_compiling(*args):
        raise AssertionError("the COUNT compiled again")

    monkeypatch.setattr(counting, "_statement", no_compiling)
    answer = client.get("/api/v1/filtered-items?name__icontains=item1&page_size=4")
    assert answer.status_code == 200
    assert [row["name"] for row in answer.data] == ["item19", "item18", "item17", "item16"]
    assert answer.json()["meta"]["pagination"]["count"] == 10


class OwnQuerySet(QuerySet):
    def __iter__(self):
        return super().__iter__()  # a project's own reading (logging, checks...) runs


class OwnQuery(Query):
    pass


def own_query() -> QuerySet:
    queryset = Item.objects.order_by("id")
    queryset.query.__class__ = OwnQuery
    return queryset


ASIDE = {
    "join": lambda: Item.objects.filter(category__name="c").order_by("id"),
    "aggregate": lambda: Item.objects.alias(n=Count("id")).filter(n__gte=1).order_by("id"),
    "annotation": lambda: Item.objects.annotate(twice=F("count") * 2).order_by("id"),
    "select_related": lambda: Item.objects.select_related("category").order_by("id"),
    "only": lambda: Item.objects.only("name").order_by("id"),
    "defer": lambda: Item.objects.defer("name").order_by("id"),
    "distinct": lambda: Item.objects.distinct().order_by("id"),
    "reverse": lambda: Item.objects.order_by("id").reverse(),
    "extra": lambda: Item.objects.extra(select={"one": "1"}).order_by("id"),
    "expression ordering": lambda: Item.objects.order_by(F("id").asc()),
    "own QuerySet": lambda: OwnQuerySet(model=Item).order_by("id"),
    "own Query": own_query,
}


@pytest.mark.parametrize("make", ASIDE.values(), ids=ASIDE.keys())
def test_anything_but_a_whole_table_is_read_by_django(items, make):
    pages._STATEMENTS.clear()
    page, expected, sqls, djangos = read_both(rows_of(make()), 1, 4)
    assert page == expected
    assert sqls == djangos
    assert not any(pages._STATEMENTS.values())


@pytest.mark.parametrize(
    "make",
    [
        lambda: Item.objects.order_by("id"),  # model instances
        lambda: Item.objects.order_by("id").values_list("id", "name"),  # fields of its own
        lambda: rows_of(Item.objects.order_by("id").prefetch_related(Prefetch("category"))),
    ],
    ids=["instances", "values_list", "prefetch"],
)
def test_other_readings_are_djangos(items, make):
    pages._STATEMENTS.clear()
    page, expected, sqls, djangos = read_both(make(), 2, 3)
    assert page == expected and sqls == djangos
    assert not pages._STATEMENTS


def test_a_filtered_page_compiles_only_its_where_clause(items, monkeypatch):
    pages._STATEMENTS.clear()
    read(rows_of(Item.objects.order_by("id")), 0, 2)
    filtered = rows_of(Item.objects.filter(count=0).order_by("id"))  # the same statement, a WHERE
    page, expected, sqls, djangos = read_both(filtered, 0, 10)

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(
        type(Item.objects.all().query.get_compiler(using="default")), "pre_sql_setup", no_compiling
    )
    assert read(filtered, 0, 10) == page == expected
    assert sqls == djangos
    assert [row[1] for row in page] == ["item00", "item03", "item06"]


def test_a_statement_is_reused_only_by_queries_in_its_state(items):
    pages._STATEMENTS.clear()
    read(rows_of(Item.objects.order_by("id")), 0, 2)
    joined = rows_of(Item.objects.filter(category__name="c", count=0).order_by("id"))  # the same key
    page, expected, sqls, djangos = read_both(joined, 0, 10)
    assert page == expected and sqls == djangos
    assert [row[1] for row in page] == ["item00", "item03", "item06"]


def test_a_read_queryset_answers_its_rows(items, django_assert_num_queries):
    queryset = rows_of(Item.objects.order_by("id"))
    rows = list(queryset)
    with django_assert_num_queries(0):
        assert read(queryset, 1, 2) == rows[1:3]


def test_a_projects_compiler_compiles_each_page(items, monkeypatch):
    default_compiler = connection.ops.compiler

    class OwnCompiler(default_compiler("SQLCompiler")):
        def as_sql(self, *args, **kwargs):
            return super().as_sql(*args, **kwargs)

    monkeypatch.setattr(
        connection.ops,
        "compiler",
        lambda name: OwnCompiler if name == "SQLCompiler" else default_compiler(name),
    )
    pages._STATEMENTS.clear()
    page, expected, sqls, djangos = read_both(rows_of(Item.objects.order_by("id")), 0, 3)
    assert page == expected and sqls == djangos
    assert {(Item, "default", ("id",)): None} == pages._STATEMENTS


def test_the_statements_are_bounded(items, monkeypatch):
    monkeypatch.setattr(pages, "_MAX_STATEMENTS", 2)
    pages._STATEMENTS.clear()
    for ordering in (("id",), ("-id",), ("name",)):
        read(rows_of(Item.objects.order_by(*ordering)), 0, 1)
    assert list(pages._STATEMENTS) == [(Item, "default", ("name",))]


def test_a_change_of_databases_forgets_the_statements():
    pages._STATEMENTS[(Item, "default", ("id",))] = None
    with pytest.warns(UserWarning, match="DATABASES"):  # Django's warning for this setting
        setting_changed.send(sender=None, setting="DATABASES", value={}, enter=True)
    assert not pages._STATEMENTS
