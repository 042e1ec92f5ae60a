"""``kit.testing.caches``: a test run's cache keys are its own and emptied, never other keys."""

import os
import secrets

import pytest
import redis
from django.conf import settings
from django.core.cache import caches

from kit.testing.caches import NAMESPACE_VARIABLE, empty_cache

pytestmark = pytest.mark.redis

BACKENDS = ["django.core.cache.backends.redis.RedisCache", "django_redis.cache.RedisCache"]


def test_this_run_has_a_namespace_of_its_own_for_every_cache_and_its_children():
    namespace = os.environ[NAMESPACE_VARIABLE]
    assert namespace.startswith("test-")
    for alias, config in settings.CACHES.items():
        assert config["KEY_PREFIX"].startswith(namespace), alias


@pytest.mark.parametrize("backend", BACKENDS)
def test_emptying_a_redis_cache_deletes_only_the_keys_under_its_prefix(backend, redis_url, settings):
    prefix = f"test-{secrets.token_hex(4)}"
    settings.CACHES = {
        "default": {"BACKEND": backend, "LOCATION": redis_url, "KEY_PREFIX": prefix},
        "other": {"BACKEND": backend, "LOCATION": redis_url, "KEY_PREFIX": f"{prefix}x"},
    }
    raw = redis.Redis.from_url(redis_url)
    try:
        caches["default"].set_many({"a": 1, "b*": 2})
        caches["default"].set("c", 3, version=7)
        caches["other"].set("a", "kept")
        raw.set(f"{prefix}-service:1:a", "kept")

        empty_cache(caches["default"])

        assert list(raw.scan_iter(match=f"{prefix}:*")) == []
        assert caches["other"].get("a") == "kept"  # a prefix that merely starts the same
        assert raw.get(f"{prefix}-service:1:a") == b"kept"
    finally:
        for key in raw.scan_iter(match=f"{prefix}*"):
            raw.unlink(key)
