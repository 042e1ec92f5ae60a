"""A test run's caches: a namespace of their own, emptied after every test.

At session start every alias of ``CACHES`` gets the namespace ``test-<random>`` before its
``KEY_PREFIX`` (:func:`kit.cache.namespaces.namespace_caches`), and ``CACHE_NAMESPACE`` tells the
processes the tests start (``rq_worker``, ``manage.py`` commands) to use the same one. No key of a
running service that shares the cache server (accounts, permission sets, token revocations, throttle
counters, cached responses, task results; the near cache tracks the namespaced prefixes) is read or
written by the tests, nor a key of another test run (each pytest-xdist worker has its own). The
namespace also names the run's RQ task queues (:mod:`kit.tasks.queues`): a service's worker on the
same Redis never takes a test's task, and the run's workers never take the service's.

After each test and at the end of the session the run's keys are deleted: local-memory caches are
cleared, Redis caches (django-redis and Django's own) lose the keys under the run's prefix (with
SCAN, never FLUSHDB: other keys of the database stay). Database caches live in the test database;
file and memcached caches are namespaced but not emptied (clearing them would delete the service's
entries too).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

NAMESPACE_VARIABLE = "CACHE_NAMESPACE"
SCAN_BATCH = 1000


@contextmanager
def isolated_caches() -> Iterator[str]:
    """Give every cache this run's namespace until the block ends; yield the namespace."""
    from django.conf import settings
    from django.test.utils import override_settings

    from kit.cache.namespaces import namespace_caches

    namespace = f"test-{secrets.token_hex(6)}"
    outer = getattr(settings, NAMESPACE_VARIABLE, None)
    previous = os.environ.get(NAMESPACE_VARIABLE)
    run_namespace = ":".join(filter(None, [namespace, outer]))
    os.environ[NAMESPACE_VARIABLE] = run_namespace
    try:
        with override_settings(
            CACHES=namespace_caches(settings.CACHES, namespace), CACHE_NAMESPACE=run_namespace
        ):
            try:
                yield namespace
            finally:
                empty_caches()
    finally:
        if previous is None:
            os.environ.pop(NAMESPACE_VARIABLE, None)
        else:
            os.environ[NAMESPACE_VARIABLE] = previous


def empty_caches() -> None:
    """Delete this run's keys from every cache this thread has used (see the module's docstring)."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        empty_cache(cache)


def empty_cache(cache: Any) -> None:
    """Delete the keys of ``cache`` under its own prefix; leave caches that cannot do only that."""
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(cache, LocMemCache):
        cache.clear()
        return
    client = _redis_client(cache)
    if client is None:
        return
    pattern = _glob_escape(cache.key_prefix) + ":*"  # Django's keys: <prefix>:<version>:<key>
    batch: list[bytes] = []
    for key in client.scan_iter(match=pattern, count=SCAN_BATCH):
        batch.append(key)
        if len(batch) >= SCAN_BATCH:
            client.unlink(*batch)
            batch = []
    if batch:
        client.unlink(*batch)
    near_cache = getattr(getattr(cache, "client", None), "near_cache", None)  # kit's NearCacheClient
    near = near_cache() if near_cache is not None else None
    if near is not None:
        near.forget()


def _redis_client(cache: Any) -> Any:
    """The redis-py client of a django-redis or Django Redis cache; None for other backends."""
    from django.core.cache.backends.redis import RedisCache

    if isinstance(cache, RedisCache):
        return cache._cache.get_client(write=True)
    try:
        from django_redis.cache import RedisCache as DjangoRedisCache
    except ImportError:
        return None
    if isinstance(cache, DjangoRedisCache):
        return cache.client.get_client(write=True)
    return None


def _glob_escape(text: str) -> str:
    """``text`` as a literal in a Redis glob pattern."""
    return "".join(f"\\{char}" if char in "*?[]\\" else char for char in text)
