"""The kit's security entries in the shared cache: an error is never taken for a miss.

django-redis's ``IGNORE_EXCEPTIONS`` (on in ``kit.conf.base``) answers a failed read with a miss
and drops a failed write: right for a cache, wrong for the token denylist, cached accounts and
permission sets, where a miss or a lost invalidation would decide in the caller's favour. The
functions here talk to the cache's client directly, so they see every error:

- :func:`read_many` answers :data:`UNREADABLE` when the cache cannot be read; the caller then asks
  the database (the source of truth);
- :func:`invalidate` deletes keys; when the cache cannot be reached it records them in the database
  (:class:`~kit.cache.models.CacheInvalidation`), and every process deletes the recorded keys
  before it trusts the cache again: at its next read after ``CACHE_INVALIDATION_CHECK_SECONDS``
  (1 s by default) or after a failure. So a change made while Redis was paused or partitioned
  holds once it is back, in every process.

Failures and recoveries are logged once per outage (:mod:`kit.cache.outages`).
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from django.core.cache import caches

from kit.cache.outages import logger, report_failure, report_recovery
from kit.conf import kit_settings


def cache_errors() -> tuple[type[BaseException], ...]:
    """What a cache raises when it cannot be reached (django-redis wraps redis-py's errors).

    A function, called by ``except`` clauses only when something was raised: a process without a
    Redis cache never loads redis-py (about 7 MB per worker).
    """
    from django_redis.exceptions import ConnectionInterrupted
    from redis.exceptions import RedisError

    return ConnectionInterrupted, RedisError, OSError


#: :func:`read_many`'s answer when the cache cannot be read (compare with ``is``).
UNREADABLE: Mapping[str, Any] = MappingProxyType({})


def strict_cache(alias: str) -> Any:
    """The cache ``alias`` without django-redis's ``IGNORE_EXCEPTIONS``: errors are raised."""
    cache = caches[alias]
    redis_cache = sys.modules.get("django_redis.cache")  # loaded by any RedisCache there is
    return cache.client if redis_cache and isinstance(cache, redis_cache.RedisCache) else cache


def read_many(alias: str, keys: Sequence[str]) -> Mapping[str, Any]:
    """The entries found under ``keys`` in cache ``alias``, or :data:`UNREADABLE`."""
    try:
        if not apply_recorded_invalidations():
            return UNREADABLE
        found: Mapping[str, Any] = strict_cache(alias).get_many(keys)
    except cache_errors() as error:
        report_failure(alias, error)
        return UNREADABLE
    report_recovery(alias)
    return found


def version(alias: str, key: str, found: Mapping[str, Any]) -> str | None:
    """The version stored under ``key`` (``found`` holds it when it was read), created when absent;
    None when the cache cannot be reached."""
    current = found.get(key)
    if current is not None:
        return str(current)
    cache = strict_cache(alias)
    try:
        cache.add(key, uuid.uuid4().hex, timeout=None)  # keeps one another process set meanwhile
        current = cache.get(key)
    except cache_errors() as error:
        report_failure(alias, error)
        return None
    return None if current is None else str(current)


def store(alias: str, key: str, value: Any, timeout: float | None) -> None:
    """Cache ``value``; nothing is lost when the cache cannot be reached (it is a cache)."""
    try:
        strict_cache(alias).set(key, value, timeout=timeout)
    except cache_errors() as error:
        report_failure(alias, error)


def invalidate(alias: str, keys: Sequence[str]) -> None:
    """Delete ``keys`` from cache ``alias``, now or, when it cannot be reached, before any process
    reads it again."""
    try:
        strict_cache(alias).delete_many(keys)
    except cache_errors() as error:
        from kit.cache.models import CacheInvalidation

        report_failure(alias, error)
        CacheInvalidation.objects.bulk_create([CacheInvalidation(cache=alias, key=key) for key in keys])
        _state["clean"] = False


#: This process: when it last found no invalidation left to apply, and whether it still did then.
_state: dict[str, Any] = {"checked_at": float("-inf"), "clean": False}


def apply_recorded_invalidations() -> bool:
    """Apply the invalidations recorded in the database, when due (each
    ``CACHE_INVALIDATION_CHECK_SECONDS``, or after a failure); whether none is left. Raises the
    cache's error when it cannot be reached."""
    from kit.cache.models import CacheInvalidation

    now = time.monotonic()
    if _state["clean"] and now - _state["checked_at"] < kit_settings.CACHE_INVALIDATION_CHECK_SECONDS:
        return True
    _state["clean"] = False
    pending = list(CacheInvalidation.objects.values_list("pk", "cache", "key")[:1000])
    by_alias: dict[str, list[str]] = {}
    for _pk, alias, key in pending:
        by_alias.setdefault(alias, []).append(key)
    for alias, keys in by_alias.items():
        if alias in caches:  # an alias removed from CACHES since holds nothing to forget
            strict_cache(alias).delete_many(keys)
    if pending:
        CacheInvalidation.objects.filter(pk__in=[row[0] for row in pending]).delete()
        logger.warning(
            "Applied %d cache invalidations recorded while the cache was unreachable.", len(pending)
        )
        return False  # more may be left: check again at the next read
    _state.update(checked_at=now, clean=True)
    return True
