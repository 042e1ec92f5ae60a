"""kit.cache.strict: the kit's security entries never take a cache error for a miss."""

import pytest
import redis

from kit.cache import strict
from kit.cache.models import CacheInvalidation
from tests.cache.test_cache import closed_port, redis_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked_every_read(settings):
    settings.KIT = {**getattr(settings, "KIT", {}), "CACHE_INVALIDATION_CHECK_SECONDS": 0}


def test_an_unreachable_redis_is_unreadable_not_a_miss(settings, checked_every_read):
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")
    assert strict.read_many("default", ["kit:perms:version"]) is strict.UNREADABLE
    assert strict.version("default", "kit:perms:version", {}) is None


@pytest.mark.redis
def test_an_invalidation_that_cannot_reach_redis_is_applied_when_it_is_back(
    settings, redis_url, checked_every_read
):
    raw = redis.Redis.from_url(redis_url)
    raw.set("billing:1:kit:perms:version", b"stale")
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")
    strict.invalidate("default", ["kit:perms:version"])
    assert list(CacheInvalidation.objects.values_list("cache", "key")) == [("default", "kit:perms:version")]

    settings.CACHES = redis_cache(redis_url)  # Redis is back: the stale entry must not be served
    assert strict.read_many("default", ["kit:perms:version"]) is strict.UNREADABLE  # applied first
    assert not raw.exists("billing:1:kit:perms:version")
    assert not CacheInvalidation.objects.exists()
    assert strict.read_many("default", ["kit:perms:version"]) == {}
