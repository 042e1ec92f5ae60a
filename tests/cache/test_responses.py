"""Response caching and conditional GET (ETag / If-None-Match) on read views."""

import socket

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.example.models import Item

pytestmark = pytest.mark.django_db


def data(response):
    """The data of an enveloped response."""
    return response.json()["data"]


@pytest.fixture
def items():
    return [Item.objects.create(name=name, count=n) for n, name in enumerate(["anvil", "bolt", "cog"])]


@pytest.fixture
def api():
    return APIClient()


def queries(api, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url, **headers)
    return response, len(captured)


def test_a_cached_list_is_served_without_touching_the_database(api, items):
    first, first_queries = queries(api, "/api/v1/cached-items")
    Item.objects.create(name="dowel")  # not seen until the entry expires
    second, second_queries = queries(api, "/api/v1/cached-items")

    assert first.status_code == second.status_code == 200
    assert first_queries > 0 and second_queries == 0
    assert data(second) == data(first)
    assert [item["name"] for item in data(first)] == ["anvil", "bolt", "cog"]


def test_the_cache_varies_on_the_query_string_and_the_caller(api, items):
    api.get("/api/v1/cached-items")

    assert queries(api, "/api/v1/cached-items?page=1")[1] > 0  # another query string
    assert queries(api, "/api/v1/cached-items?page=1")[1] == 0
    other = APIClient()
    other.force_authenticate(get_user_model().objects.create_user("bob"))
    assert queries(other, "/api/v1/cached-items")[1] > 0  # another caller


def test_the_method_decorator_caches_too(api, items):
    assert queries(api, "/api/v1/decorated-items")[1] > 0
    assert queries(api, "/api/v1/decorated-items")[1] == 0


def test_each_cached_response_keeps_its_own_request_id(api, items):
    first = api.get("/api/v1/cached-items", HTTP_X_REQUEST_ID="req-first-0001")
    second = api.get("/api/v1/cached-items", HTTP_X_REQUEST_ID="req-second-002")

    assert first.json()["meta"]["request_id"] == "req-first-0001"
    assert second.json()["meta"]["request_id"] == "req-second-002"  # the cached data, this request's id
    assert second["X-Request-ID"] == "req-second-002"
    assert second.json()["data"] == first.json()["data"]


@pytest.mark.parametrize("url", ["/api/v1/etag-items", "/api/v1/etag-items/{pk}"])
def test_if_none_match_answers_304_until_the_data_changes(api, items, url):
    url = url.format(pk=items[0].pk)
    first = api.get(url)
    etag = first["ETag"]
    assert etag.startswith('W/"')

    not_modified = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag

    assert api.get(url, HTTP_IF_NONE_MATCH=etag.removeprefix("W/")).status_code == 304  # weak comparison
    assert api.get(url, HTTP_IF_NONE_MATCH='"other", ' + etag).status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH="*").status_code == 304

    Item.objects.filter(pk=items[0].pk).update(count=99)
    changed = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_errors_carry_no_etag(api):
    response = api.get("/api/v1/etag-items/999999")

    assert response.status_code == 404
    assert "ETag" not in response


def test_cached_views_answer_during_a_redis_outage(settings, api, items):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }

    response = api.get("/api/v1/cached-items")

    assert response.status_code == 200
    assert len(data(response)) == 3
