"""Malformed or unknown query parameters answer 400 ``invalid_filter`` naming them, never a 500."""

import pytest

from tests.filters.conftest import URL, problem_errors

pytestmark = pytest.mark.django_db

BAD = [
    # (query, parameter named in the errors, error code)
    ("colour=red", "colour", "unknown_parameter"),
    ("name__exact=apple", "name__exact", "unknown_parameter"),
    ("name=a&name=b", "name", "repeated_parameter"),
    ("count=abc", "count", "invalid"),
    ("count=1.5", "count", "invalid"),
    ("count=2147483648", "count", "out_of_range"),
    ("count__gt=36893488147419103232", "count__gt", "out_of_range"),
    ("count__in=1,36893488147419103232", "count__in", "out_of_range"),
    ("category__in=1,36893488147419103232", "category__in", "out_of_range"),
    ("count__in=1,,2", "count__in", "invalid"),
    ("count__range=1", "count__range", "invalid"),
    ("count__range=1,2,3", "count__range", "invalid"),
    ("price=NaN", "price", "invalid"),
    ("price=Infinity", "price", "invalid"),
    ("price=1e400", "price", "out_of_range"),
    ("price__gt=100000000", "price__gt", "out_of_range"),
    ("is_active=maybe", "is_active", "invalid"),
    ("name__isnull=yes", "name__isnull", "invalid"),
    ("uid=not-a-uuid", "uid", "invalid"),
    ("uid__in=00000000-0000-0000-0000-000000000001,zz", "uid__in", "invalid"),
    ("created_at__gt=yesterday", "created_at__gt", "invalid"),
    ("created_at__gt=2024-02-30", "created_at__gt", "invalid"),
    ("created_at=0001-01-01T00:00:00%2B14:00", "created_at", "out_of_range"),
    ("name=a%00b", "name", "null_characters_not_allowed"),
    ("name__like=abc\\", "name__like", "invalid_pattern"),
    ("name__regexp=(", "name__regexp", "invalid_pattern"),
    ("name__regexp=a**", "name__regexp", "invalid_pattern"),
    ("name__iregexp=(?i)a", "name__iregexp", "invalid_pattern"),
    ("name__regexp=(a%2B)%2B$", "name__regexp", "invalid_pattern"),
    ("name__regexp=(a|b)*", "name__regexp", "invalid_pattern"),
    ("name__regexp=\\bword", "name__regexp", "invalid_pattern"),
    ("name__regexp=(a)\\1", "name__regexp", "invalid_pattern"),
    ("name__regexp=[[:alpha:]]", "name__regexp", "invalid_pattern"),
    ("name__regexp=a{1,999}", "name__regexp", "invalid_pattern"),
    ("name__regexp=a{x", "name__regexp", "invalid_pattern"),
    ("name__regexp=" + "a" * 300, "name__regexp", "invalid_pattern"),
    ("name=" + "a" * 1001, "name", "max_length"),
    # an empty value is refused (not ignored): it matches no documented value
    ("name=", "name", "blank"),
    ("count=", "count", "blank"),
    ("is_active=", "is_active", "blank"),
    ("ordering=", "ordering", "blank"),
    ("ordering=colour", "ordering", "invalid_ordering"),
    ("ordering=-name,,count", "ordering", "invalid_ordering"),
    ("page=0", "page", "out_of_range"),
    ("page=x", "page", "invalid"),
    ("page=", "page", "blank"),
    ("page_size=", "page_size", "blank"),
    ("page_size=101", "page_size", "out_of_range"),
    ("page_size=0", "page_size", "out_of_range"),
    ("page_size=-1", "page_size", "invalid"),
    ("limit=5", "limit", "unknown_parameter"),
]


@pytest.mark.parametrize(("query", "param", "code"), BAD, ids=[query[:60] for query, _, _ in BAD])
def test_bad_query_answers_400(client, items, query, param, code):
    errors = problem_errors(client.get(f"{URL}?{query}"))

    if errors is not None:
        assert {"attr": param, "code": code} in [{"attr": e["attr"], "code": e["code"]} for e in errors]


def test_every_problem_is_reported_at_once(client, items):
    errors = problem_errors(client.get(f"{URL}?colour=red&count=x&name__regexp=(&ordering=nope"))

    if errors is not None:
        assert [error["attr"] for error in errors] == ["colour", "count", "name__regexp", "ordering"]
        assert all(error["parameter"] == error["attr"] and error["detail"] for error in errors)


def test_views_without_filters_reject_unknown_parameters_but_know_pagination(client, items):
    assert client.get("/api/v1/items?page=1&page_size=5&format=json").status_code == 200
    problem_errors(client.get("/api/v1/items?name=apple"))


def test_known_parameters_of_limit_offset_views(client, items):
    assert client.get("/api/v1/offset-items?limit=2&offset=1&name__ilike=%25").status_code == 200
    problem_errors(client.get("/api/v1/offset-items?page=2"))
