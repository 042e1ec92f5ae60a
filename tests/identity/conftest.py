"""Fixtures for the identity tests: users, clients, and a clean cache for every test."""

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.cache import caches
from rest_framework.test import APIClient

from kit.conf import ServiceSettings
from tests.identity.helpers import data

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _identity_urls(settings):
    settings.ROOT_URLCONF = "tests.identity.urls"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    """Throttle counters, denylists and permission sets must not leak between tests."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(params=["local memory", pytest.param("redis", marks=pytest.mark.redis)])
def shared_cache(request, settings):
    """The test project's local-memory cache, then Redis through the kit's near cache (what
    ``CACHE_URL=redis://...`` configures)."""
    if request.param == "redis":
        redis_url = request.getfixturevalue("redis_url")
        redis.Redis.from_url(redis_url).flushdb()
        settings.CACHES = ServiceSettings().load_from_env(
            {"__name__": "permissions.settings"}, environ={"CACHE_URL": redis_url, "DEBUG": "true"}
        )["CACHES"]
    return request.param


@pytest.fixture
def make_user(db):
    def make(username="alice", role="", **extra):
        return get_user_model().objects.create_user(
            username=username, password=PASSWORD, first_name=role, **extra
        )

    return make


@pytest.fixture
def user(make_user):
    return make_user()


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def obtain_tokens(client):
    def obtain(username="alice", password=PASSWORD):
        response = client.post("/api/auth/token", {"username": username, "password": password}, format="json")
        assert response.status_code == 200, response.content
        return data(response)

    return obtain
