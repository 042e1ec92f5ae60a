"""What the kit keeps about an account across processes: the account itself and its permission names.

Both live in the Django cache named by the KIT option ``PERMISSIONS_CACHE``, one entry per account
(keyed by its primary key, and for the names by the authorization backend's ``cache_namespace``:
callers pass the backend, see :func:`kit.authorization.get_permission_set`), each tagged with
the versions it was computed under: a global version and a per-user version. Invalidation deletes
a version (the next reader sets a fresh random one), so every process (sharing the cache) finds the
tags outdated and computes again on its next request; nothing is kept per process. A process that
computed from rows changed meanwhile writes an entry tagged with the versions it read, already
outdated.

:func:`get_account` serves the account (the user row) the same way, so that authentication needs
no query either; it is what ``JWTAuthentication`` uses when the KIT option ``CACHE_ACCOUNTS`` is on.
The versions, the account and its permission set are read in one round trip (:func:`account_keys`
lets the caller add its own keys, e.g. the token denylist), and the permission set read with the
account serves the rest of the request.

Signal receivers (``kit.authorization.signals``) invalidate on changes to rights and users; call
:func:`invalidate_permissions` after changes that send no signal (``QuerySet.update()``,
``bulk_create()``) or that a custom backend depends on.

Fail closed (:mod:`kit.cache.strict`): when the cache cannot be read, the account and its
permissions come from the database (and nothing is cached); an invalidation that cannot reach the
cache is recorded in the database and applied before any process trusts the cache again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.dispatch import Signal

from kit.cache import strict
from kit.conf import kit_settings

permissions_invalidated = Signal()
"""Sent by :func:`invalidate_permissions` with ``user_id`` (None: every account's set changed)."""

GLOBAL_VERSION_KEY = "kit:perms:version"
SNAPSHOT_ATTRIBUTE = "_kit_cache_snapshot"  # what the cache held for an account when it was read


class PermissionSource(Protocol):
    """What computes an account's permission names: an authorization backend."""

    @property
    def cache_namespace(self) -> str:
        """Part of the names' cache key: changes when the names could."""
        ...

    def get_permissions(self, account: Any) -> Iterable[str]: ...


@dataclass(frozen=True)
class Snapshot:
    """One read of an account's entries: the current versions and the entries tagged with them
    (no versions: the cache cannot be reached, and nothing is cached)."""

    versions: tuple[str, str] | None
    account: Any = None
    permissions: list[str] | None = None


def _user_version_key(pk: Any) -> str:
    return f"{GLOBAL_VERSION_KEY}:user:{pk}"


def _account_key(pk: Any) -> str:
    return f"kit:account:{pk}"


def _permissions_key(pk: Any, source: PermissionSource) -> str:
    return f"kit:perms:{source.cache_namespace}:{pk}"


def account_keys(pk: Any, source: PermissionSource) -> list[str]:
    """The cache keys one read of an account's entries needs (to read them with others at once)."""
    return [GLOBAL_VERSION_KEY, _user_version_key(pk), _account_key(pk), _permissions_key(pk, source)]


def read_snapshot(pk: Any, source: PermissionSource, found: Mapping[str, Any] | None = None) -> Snapshot:
    """The versions and the up-to-date entries of account ``pk``.

    ``source`` is the authorization backend (its ``cache_namespace`` keys the permission names).
    ``found`` is what :func:`kit.cache.strict.read_many` answered for keys including
    :func:`account_keys`, when the caller read them already; otherwise they are read here (one
    round trip).
    """
    alias = kit_settings.PERMISSIONS_CACHE
    global_key, user_key, account_key, permissions_key = keys = account_keys(pk, source)
    if found is None:
        found = strict.read_many(alias, keys)
    if found is strict.UNREADABLE:
        return Snapshot(None)
    versions = [strict.version(alias, key, found) for key in (global_key, user_key)]
    if None in versions:
        return Snapshot(None)
    current = (str(versions[0]), str(versions[1]))
    return Snapshot(
        current,
        account=_tagged(found.get(account_key), current),
        permissions=_tagged(found.get(permissions_key), current),
    )


def _tagged(entry: Any, versions: tuple[str, str]) -> Any:
    """The value of a cache entry when it was computed under ``versions``, else None."""
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == versions:
        return entry[1]
    return None


def _store(key: str, versions: tuple[str, str] | None, value: Any) -> None:
    if versions is not None:
        strict.store(
            kit_settings.PERMISSIONS_CACHE, key, (versions, value), kit_settings.PERMISSIONS_CACHE_TIMEOUT
        )


def get_account(
    pk: Any, source: PermissionSource, load: Callable[[], Any], found: Mapping[str, Any] | None = None
) -> Any:
    """The account with primary key ``pk`` from the cache, else ``load()`` (then cached).

    ``load`` raises when there is no usable account; nothing is cached then. ``source`` and
    ``found``: as for :func:`read_snapshot`. The permission names read with the account serve the
    request.
    """
    snapshot = read_snapshot(pk, source, found)
    account = snapshot.account
    if account is None:
        account = load()
        _store(_account_key(pk), snapshot.versions, account)
    setattr(account, SNAPSHOT_ATTRIBUTE, snapshot)
    return account


def cached_permissions(account: Any, source: PermissionSource) -> Iterable[str]:
    """The permission names ``account`` holds from the cache, else from ``source`` (then cached).

    An account without a primary key is never cached. The entries read with the account
    (:func:`get_account`) serve without another round trip.
    """
    pk = getattr(account, "pk", None)
    if pk is None:
        return source.get_permissions(account)
    snapshot = getattr(account, SNAPSHOT_ATTRIBUTE, None) or read_snapshot(pk, source)
    if snapshot.permissions is not None:
        return snapshot.permissions
    permissions = source.get_permissions(account)
    _store(_permissions_key(pk, source), snapshot.versions, sorted(permissions))
    return permissions


def invalidate_permissions(user: Any = None) -> None:
    """Make every process recompute permission sets: of ``user`` (an instance or pk), or of all.

    Sends :data:`permissions_invalidated` (``user_id``: None for everyone), on which open WebSocket
    connections reload the permission set they hold (:mod:`kit.realtime`).
    """
    user_id = None if user is None else getattr(user, "pk", user)
    key = GLOBAL_VERSION_KEY if user_id is None else _user_version_key(user_id)
    strict.invalidate(kit_settings.PERMISSIONS_CACHE, [key])
    permissions_invalidated.send(sender=None, user_id=user_id)
