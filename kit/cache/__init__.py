"""A small cache API over Django's cache (``CACHE_URL``), and response caching for read views.

::

    from kit import cache

    cache.set("exchange-rates", rates, lifetime=300)
    rates = cache.get("exchange-rates", default={})
    cache.delete("exchange-rates")

Keys are prefixed with the service name (``KEY_PREFIX``), so services can share a Redis. When Redis
is down, reads are misses and writes are dropped (django-redis's ``IGNORE_EXCEPTIONS``, logged on
the ``kit.cache`` logger): the service keeps answering, without its cache. The kit's security
entries (revocations, accounts, permission sets) go through :mod:`kit.cache.strict` instead, which
never takes an error for a miss.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT

from kit.cache.responses import CacheResponseMixin, ConditionalGetMixin, cache_response, invalidate_responses

__all__ = [
    "CacheResponseMixin",
    "ConditionalGetMixin",
    "cache_response",
    "delete",
    "get",
    "invalidate_responses",
    "set",
]


def get(key: str, default: Any = None, *, using: str = DEFAULT_CACHE_ALIAS) -> Any:
    """The value cached under ``key``, or ``default`` (also when the cache is unreachable)."""
    return caches[using].get(key, default)


def set(
    key: str, value: Any, lifetime: float | None = DEFAULT_TIMEOUT, *, using: str = DEFAULT_CACHE_ALIAS
) -> None:
    """Cache ``value`` under ``key`` for ``lifetime`` seconds (default: the cache's ``TIMEOUT``,
    300 unless configured; ``None``: until evicted)."""
    caches[using].set(key, value, lifetime)


def delete(key: str, *, using: str = DEFAULT_CACHE_ALIAS) -> None:
    """Forget ``key``."""
    caches[using].delete(key)
