"""What an account holds: its permission set, computed by the backend and cached with the account.

The set is computed by the configured backend (:func:`kit.authorization.backends.get_backend`),
kept across requests and processes in the account cache (:mod:`kit.accounts.cache`) and memoised
on the request.
"""

from __future__ import annotations

from typing import Any

from kit.accounts.cache import cached_permissions
from kit.authorization.backends import get_backend
from kit.authorization.permission_set import PermissionSet

MEMO_ATTRIBUTE = "_kit_permission_set"  # (account, PermissionSet) on the Django request


def get_permission_set(account: Any, request: Any = None) -> PermissionSet:
    """The permissions ``account`` holds (cached in the shared cache, memoised on ``request``)."""
    http_request = getattr(request, "_request", request)  # the Django request under a DRF one
    memo = getattr(http_request, MEMO_ATTRIBUTE, None)
    if memo is not None and memo[0] is account:
        return memo[1]
    permissions = PermissionSet(cached_permissions(account, get_backend()))
    if http_request is not None:
        setattr(http_request, MEMO_ATTRIBUTE, (account, permissions))
    return permissions


def has_permission(request: Any, *permissions: str) -> bool:
    """Whether the caller of ``request`` is authenticated and holds every one of ``permissions``."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return False
    held = get_permission_set(user, request)
    return all(permission in held for permission in permissions)
