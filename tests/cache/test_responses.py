"""Response caching and conditional GET (ETag / If-None-Match) on read views."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from kit.cache import invalidate_responses
from kit.conf import ServiceSettings
from tests.example.cache_views import DecoratedItemList
from tests.example.models import Item

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "tests.project.settings"


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


def service_caches(redis_url):
    """``CACHES`` as the test project's settings make them from ``CACHE_URL`` (as another process does),
    in the test run's ``CACHE_NAMESPACE``, which the processes the tests start inherit."""
    environ = {"CACHE_URL": redis_url, "DEBUG": "true", "CACHE_NAMESPACE": os.environ["CACHE_NAMESPACE"]}
    return ServiceSettings().load_from_env({"__name__": SETTINGS_MODULE}, environ=environ)["CACHES"]


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def shared_cache(request, settings):
    """The default cache: this process's memory, or a real Redis as another process sees it."""
    if request.param == "locmem":
        yield None
        return
    redis_url = request.getfixturevalue("redis_url")
    settings.CACHES = service_caches(redis_url)
    yield redis_url
    redis.Redis.from_url(redis_url).flushdb()


def names(response):
    assert response.status_code == 200, response.content
    return [item["name"] for item in data(response)]


@pytest.fixture
def writer(admin_user):
    """A client holding every permission (a superuser)."""
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


@pytest.mark.django_db(transaction=True)
def test_writes_through_the_kit_views_invalidate_the_cached_responses_of_their_model(
    shared_cache, api, writer, items
):
    assert names(api.get("/api/v1/cached-items")) == ["anvil", "bolt", "cog"]

    created = writer.post("/api/v1/items", {"name": "dowel"}, format="json")  # another view, same model
    assert created.status_code == 201, created.content
    assert names(api.get("/api/v1/cached-items")) == ["anvil", "bolt", "cog", "dowel"]

    assert writer.patch(f"/api/v1/items/{items[0].pk}", {"name": "axe"}, format="json").status_code == 200
    assert names(api.get("/api/v1/cached-items")) == ["axe", "bolt", "cog", "dowel"]

    assert writer.delete(f"/api/v1/items/{items[1].pk}").status_code == 204
    assert names(api.get("/api/v1/cached-items")) == ["axe", "cog", "dowel"]
    assert queries(api, "/api/v1/cached-items")[1] == 0  # cached again


@pytest.mark.django_db(transaction=True)
def test_a_refused_write_keeps_the_cached_responses(shared_cache, api, writer, items):
    api.get("/api/v1/cached-items")

    assert writer.post("/api/v1/items", {"name": "anvil"}, format="json").status_code == 409

    assert queries(api, "/api/v1/cached-items")[1] == 0


def test_invalidate_responses_forgets_the_responses_of_a_model_or_a_view(shared_cache, api, items):
    api.get("/api/v1/cached-items")
    api.get("/api/v1/decorated-items")
    Item.objects.create(name="dowel")  # the ORM alone does not invalidate

    assert "dowel" not in names(api.get("/api/v1/cached-items"))
    invalidate_responses(DecoratedItemList)
    assert "dowel" not in names(api.get("/api/v1/cached-items"))
    assert "dowel" in names(api.get("/api/v1/decorated-items"))
    invalidate_responses(Item)
    assert "dowel" in names(api.get("/api/v1/cached-items"))


@pytest.mark.redis
def test_another_process_invalidates_through_the_shared_cache(settings, redis_url, api, items):
    settings.CACHES = service_caches(redis_url)
    try:
        api.get("/api/v1/cached-items")
        Item.objects.create(name="dowel")
        assert "dowel" not in names(api.get("/api/v1/cached-items"))

        code = "from kit.cache import invalidate_responses; from tests.example.models import Item; "
        code += "invalidate_responses(Item)"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE, "CACHE_URL": redis_url}
        command = [sys.executable, "manage.py", "shell", "-c", code]
        subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=120)

        assert "dowel" in names(api.get("/api/v1/cached-items"))
    finally:
        redis.Redis.from_url(redis_url).flushdb()
