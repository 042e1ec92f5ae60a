"""``NearCacheClient``: django-redis's client, serving the kit's own keys from process memory.

The permission sets, cached accounts, versions and token denylist entries the kit reads on every
authenticated request are kept in a :class:`~kit.cache.near.NearCache` (one per process and
Redis), which Redis keeps exact by reporting every change to them; other keys, and every write, go
to Redis as with django-redis's ``DefaultClient``. Options (``CACHES[alias]["OPTIONS"]``):

- ``NEAR_CACHE_PREFIXES``: the cache keys (before ``KEY_PREFIX`` and the version are added) to keep,
  by prefix; default: the kit's permission sets, accounts and token denylist;
- ``NEAR_CACHE_MAX_ENTRIES``: the most values a process keeps (default 10000).

With several servers (primary and replicas) it behaves as ``DefaultClient``: a replica could still
answer a value its primary reported changed.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django_redis.client import DefaultClient
from django_redis.client.default import _main_exceptions
from django_redis.exceptions import ConnectionInterrupted
from redis import Redis

from kit.cache.near import NearCache

DEFAULT_PREFIXES = ("kit:perms:", "kit:account:", "kit:jwt:")
DEFAULT_MAX_ENTRIES = 10_000

_near_caches: dict[tuple[Any, ...], NearCache] = {}
_near_caches_lock = threading.Lock()


class NearCacheClient(DefaultClient):
    """django-redis's ``DefaultClient`` with a near cache for the keys under its prefixes."""

    def __init__(self, server: Any, params: dict[str, Any], backend: BaseCache) -> None:
        super().__init__(server, params, backend)
        self._near_prefixes = tuple(self._options.get("NEAR_CACHE_PREFIXES", DEFAULT_PREFIXES))
        self._near_max_entries = int(self._options.get("NEAR_CACHE_MAX_ENTRIES", DEFAULT_MAX_ENTRIES))
        self._near: NearCache | None = None

    def near_cache(self) -> NearCache | None:
        """This process's near cache for this client's Redis (None with several servers)."""
        if self._near is None and len(self._server) == 1:
            prefixes = tuple(str(self.make_key(prefix)) for prefix in self._near_prefixes)
            identity = (self._server[0], prefixes, self._near_max_entries)
            with _near_caches_lock:
                if identity not in _near_caches:
                    connect = self._connection_maker()
                    _near_caches[identity] = NearCache(connect, prefixes, self._near_max_entries)
                self._near = _near_caches[identity]
        return self._near

    def _connection_maker(self) -> Any:
        pool = self.get_client(write=True).connection_pool
        kwargs = {**pool.connection_kwargs, "protocol": 2}  # invalidations as pub/sub messages
        return lambda: pool.connection_class(**kwargs)

    def get(
        self, key: str, default: Any | None = None, version: int | None = None, client: Redis | None = None
    ) -> Any:
        if client is not None:
            return super().get(key, default, version=version, client=client)
        return self.get_many([key], version=version).get(key, default)

    def get_many(
        self, keys: Collection[str], version: int | None = None, client: Redis | None = None
    ) -> dict[str, Any]:
        near = self.near_cache() if client is None else None
        made = {str(self.make_key(key, version=version)): key for key in keys}
        if near is None or not any(near.holds(key) for key in made):
            return super().get_many(keys, version=version, client=client)
        values, generation = near.lookup(made)
        missing = [key for key in made if key not in values]
        if missing:
            read = dict(zip(missing, self._read(missing), strict=True))
            near.store(generation, read)
            values.update(read)
        return {made[key]: self.decode(value) for key, value in values.items() if value is not None}

    def _read(self, keys: list[str]) -> list[bytes | None]:
        client = self.get_client(write=False)
        try:
            values: list[bytes | None] = client.mget(keys)
        except _main_exceptions as error:
            raise ConnectionInterrupted(connection=client) from error
        return values

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
        client: Redis | None = None,
        nx: bool = False,
        xx: bool = False,
    ) -> bool:
        try:
            return super().set(key, value, timeout, version=version, client=client, nx=nx, xx=xx)
        finally:
            self._forget([key], version)

    def delete(
        self, key: str, version: int | None = None, prefix: str | None = None, client: Redis | None = None
    ) -> int:
        try:
            return super().delete(key, version=version, prefix=prefix, client=client)
        finally:
            self._forget(None if prefix is not None else [key], version)

    def delete_many(
        self, keys: Collection[str], version: int | None = None, client: Redis | None = None
    ) -> int:
        try:
            return super().delete_many(keys, version=version, client=client)
        finally:
            self._forget(keys, version)

    def clear(self, client: Redis | None = None) -> None:
        try:
            super().clear(client=client)
        finally:
            self._forget(None, None)

    def _forget(self, keys: Collection[str] | None, version: int | None) -> None:
        """Drop what this process wrote from its near cache at once (Redis reports it too, a moment
        later)."""
        near = self.near_cache()
        if near is not None:
            near.forget(None if keys is None else [str(self.make_key(key, version=version)) for key in keys])
