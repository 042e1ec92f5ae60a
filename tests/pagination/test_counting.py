"""``count_rows`` answers what ``QuerySet.count()`` answers, on the database the suite runs on."""

from collections.abc import Callable

import pytest
from django.core.signals import setting_changed
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.sql import Query
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kit.api import counting
from kit.api.counting import count_rows
from tests.example.models import Category, Item

#: Case pairs, letters lowering apart (KELVIN SIGN, İ), sharp and long s, an accent, the LIKE wildcards and
#: escape (no NUL: PostgreSQL's text cannot hold one).
CHARS = "aAkKiIsS7- %_\\\u0130\u0131\u212a\u017f\u00df\u00e9\u00c9"

FILTERS = {
    "ilike": lambda text: Q(name__ilike=text),
    "icontains (kit)": lambda text: Q(name__ilike=f"%{text}%"),
    "like": lambda text: Q(name__like=text),
    "icontains (Django)": lambda text: Q(name__icontains=text),
    "not ilike": lambda text: ~Q(name__ilike=text),
    "ilike or count": lambda text: Q(name__ilike=text) | Q(count__gt=2),
    "join": lambda text: Q(category__name__ilike=text),
    "in nothing": lambda text: Q(name__in=[]),
    "count": lambda text: Q(count__gte=len(text)),
    "nothing": lambda text: Q(),
}
SHAPES = {
    "model": lambda queryset: queryset,
    "values_list": lambda queryset: queryset.values_list("id", "name"),
    "ordered": lambda queryset: queryset.order_by("-id"),
    "distinct": lambda queryset: queryset.values_list("category", flat=True).distinct(),
    "annotated": lambda queryset: queryset.annotate(twice=F("count") * 2).filter(twice__gt=2),
    "grouped": lambda queryset: queryset.values("category").annotate(n=Count("id")),
    "none": lambda queryset: queryset.none(),
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(st.text(alphabet=CHARS, max_size=5), max_size=6),
    text=st.text(alphabet=CHARS, max_size=4),
    filter_name=st.sampled_from(sorted(FILTERS)),
    shape=st.sampled_from(sorted(SHAPES)),
)
@example(names=["\u212aelvin", "kelvin", "STRA\u00dfE"], text="%k%", filter_name="ilike", shape="model")
@example(names=["a7", "b"], text="7", filter_name="icontains (kit)", shape="values_list")
def test_count_rows_answers_what_count_answers(db, names, text, filter_name, shape):
    Item.objects.all().delete()
    Category.objects.all().delete()
    categories = [Category.objects.create(name=name) for name in ("c0", "c1")]
    for index, name in enumerate(names):  # the prefix keeps names unique under any collation
        category = categories[index % 2] if index % 3 else None
        Item.objects.create(name=f"{index}{name}", count=index, category=category)
    queryset = SHAPES[shape](Item.objects.filter(FILTERS[filter_name](text)))

    counted = outcome(lambda: count_rows(queryset))
    assert counted == outcome(queryset.count) == outcome(lambda: len(list(queryset)))


def outcome(count: Callable[[], int]) -> int | str:
    """The count, or the database's error (PostgreSQL refuses a pattern ending with a backslash)."""
    try:
        with transaction.atomic():
            return count()
    except DatabaseError as error:
        return type(error).__name__


@pytest.mark.django_db
def test_a_plain_queryset_is_counted_by_one_statement_of_its_own():
    Item.objects.create(name="a7")
    Item.objects.create(name="b")
    queryset = Item.objects.filter(name__ilike="%7%").order_by("id").values_list("id")

    with CaptureQueriesContext(connection) as queries:
        assert count_rows(queryset) == 1

    (query,) = queries.captured_queries
    assert query["sql"].startswith("SELECT COUNT(*) FROM ")
    assert "ORDER BY" not in query["sql"]
    assert "__count" not in query["sql"]  # not Django's aggregation


@pytest.mark.django_db
def test_a_queryset_already_read_is_counted_without_a_query(django_assert_num_queries):
    Item.objects.create(name="a")
    queryset = Item.objects.all()
    list(queryset)

    with django_assert_num_queries(0):
        assert count_rows(queryset) == 1


@pytest.mark.django_db
def test_a_queryset_matching_nothing_is_counted_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert count_rows(Item.objects.filter(name__in=[])) == 0


class CountingQuerySet(QuerySet):
    def count(self) -> int:
        return 424242  # a project's own count (an estimate, a cache...) is what the list shows


def test_a_queryset_that_overrides_count_is_counted_by_it(db):
    Item.objects.create(name="one", count=1)
    queryset = CountingQuerySet(model=Item).filter(count__gte=0)
    assert count_rows(queryset) == 424242


@pytest.mark.django_db
def test_a_whole_table_is_counted_by_the_statement_compiled_for_it_once():
    Item.objects.create(name="a")
    Item.objects.create(name="b")
    counting._WHOLE_TABLES.clear()
    compiled = counting._statement(Item.objects.all().query, connection)

    with CaptureQueriesContext(connection) as queries:
        assert count_rows(Item.objects.order_by("-id")) == 2
        assert count_rows(Item.objects.filter(Q()).values_list("name")) == 2
        Item.objects.create(name="c")
        assert count_rows(Item.objects.all()) == 3  # the statement is kept, never the count

    assert compiled is not None
    counts = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT COUNT")]
    assert counts == [compiled[0]] * 3
    assert list(counting._WHOLE_TABLES.values()) == [compiled]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [
        lambda: Item.objects.filter(count__gte=1),  # a WHERE
        lambda: Item.objects.filter(category__name="c0"),  # a join
        lambda: Item.objects.extra(tables=["example_category"]),  # an extra table: a cross join
        lambda: Item.objects.none(),
    ],
    ids=["where", "join", "extra table", "none"],
)
def test_only_whole_tables_keep_their_statement(make):
    category = Category.objects.create(name="c0")
    Item.objects.create(name="a", count=1, category=category)
    Item.objects.create(name="b", count=0)
    counting._WHOLE_TABLES.clear()
    queryset = make()
    assert count_rows(queryset) == queryset.count()
    assert not counting._WHOLE_TABLES


def test_a_change_of_databases_forgets_the_statements():
    counting._WHOLE_TABLES[(Item, "default")] = ("SELECT 1", [])
    with pytest.warns(UserWarning, match="DATABASES"):  # Django's warning for this setting
        setting_changed.send(sender=None, setting="DATABASES", value={}, enter=True)
    assert not counting._WHOLE_TABLES


@pytest.mark.django_db
def test_a_query_of_a_projects_own_class_is_compiled_for_each_count():
    class OwnQuery(Query):
        pass

    Item.objects.create(name="a")
    counting._WHOLE_TABLES.clear()
    queryset = Item.objects.all()
    queryset.query.__class__ = OwnQuery
    assert count_rows(queryset) == 1
    assert not counting._WHOLE_TABLES
