"""An account's permission set (and the account itself), cached across processes.

The set is stored in the Django cache named by the KIT option ``PERMISSIONS_CACHE`` under a key
made of the backend's namespace, a global version, a per-user version and the user's primary key.
Invalidation replaces a version with a fresh random token, so every process (sharing the cache)
computes the set again on its next request; nothing is kept per process. Within one request the
set is memoised on the request.

:func:`get_account` keeps the account (the user row) in the same cache under the same versions,
so that authentication needs no query either; it is what ``JWTAuthentication`` uses when the KIT
option ``CACHE_ACCOUNTS`` is on. The versions read for the account are kept on it and serve the
permission set of the same request.

Signal receivers (``kit.authorization.signals``) invalidate on changes to rights and users; call
:func:`invalidate_permissions` after changes that send no signal (``QuerySet.update()``,
``bulk_create()``) or that a custom backend depends on.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import BaseCache, caches

from kit.authorization.backends import get_backend
from kit.authorization.permission_set import PermissionSet
from kit.conf import kit_settings

GLOBAL_VERSION_KEY = "kit:perms:version"
MEMO_ATTRIBUTE = "_kit_permission_set"  # (account, PermissionSet) on the Django request
VERSIONS_ATTRIBUTE = "_kit_cache_versions"  # the versions an account was read under


def _cache() -> BaseCache:
    return caches[kit_settings.PERMISSIONS_CACHE]


def _user_version_key(pk: Any) -> str:
    return f"{GLOBAL_VERSION_KEY}:user:{pk}"


def _new_version() -> str:
    return uuid.uuid4().hex


def _versions(cache: BaseCache, pk: Any) -> tuple[str, str]:
    keys = [GLOBAL_VERSION_KEY, _user_version_key(pk)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # add() keeps a version another process set meanwhile; read back whichever won.
            cache.add(key, _new_version(), timeout=None)
            found[key] = cache.get(key)
    return found[keys[0]], found[keys[1]]


def get_account(pk: Any, load: Callable[[], Any]) -> Any:
    """The account with primary key ``pk`` from the cache, else ``load()`` (then cached).

    ``load`` raises when there is no usable account; nothing is cached then.
    """
    cache = _cache()
    versions = _versions(cache, pk)
    key = f"kit:account:{versions[0]}:{versions[1]}:{pk}"
    account = cache.get(key)
    if account is None:
        account = load()
        cache.set(key, account, timeout=kit_settings.PERMISSIONS_CACHE_TIMEOUT)
    setattr(account, VERSIONS_ATTRIBUTE, versions)
    return account


def get_permission_set(account: Any, request: Any = None) -> PermissionSet:
    """The permissions ``account`` holds (cached in the shared cache, memoised on ``request``)."""
    http_request = getattr(request, "_request", request)  # the Django request under a DRF one
    memo = getattr(http_request, MEMO_ATTRIBUTE, None)
    if memo is not None and memo[0] is account:
        return memo[1]
    permissions = _load(account)
    if http_request is not None:
        setattr(http_request, MEMO_ATTRIBUTE, (account, permissions))
    return permissions


def _load(account: Any) -> PermissionSet:
    backend = get_backend()
    pk = getattr(account, "pk", None)
    if pk is None:
        permissions = PermissionSet(backend.get_permissions(account))
    else:
        cache = _cache()
        global_version, user_version = getattr(account, VERSIONS_ATTRIBUTE, None) or _versions(cache, pk)
        key = f"kit:perms:{backend.cache_namespace}:{global_version}:{user_version}:{pk}"
        stored = cache.get(key)
        if stored is None:
            permissions = PermissionSet(backend.get_permissions(account))
            cache.set(key, sorted(permissions), timeout=kit_settings.PERMISSIONS_CACHE_TIMEOUT)
        else:
            permissions = PermissionSet(stored)
    return permissions


def has_permission(request: Any, *permissions: str) -> bool:
    """Whether the caller of ``request`` is authenticated and holds every one of ``permissions``."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return False
    held = get_permission_set(user, request)
    return all(permission in held for permission in permissions)


def invalidate_permissions(user: Any = None) -> None:
    """Make every process recompute permission sets: of ``user`` (an instance or pk), or of all."""
    cache = _cache()
    if user is None:
        cache.set(GLOBAL_VERSION_KEY, _new_version(), timeout=None)
        return
    pk = getattr(user, "pk", user)
    cache.set(_user_version_key(pk), _new_version(), timeout=None)
