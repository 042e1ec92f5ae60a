"""The permission sets of the users connected to this process, shared by their connections.

A connection checks its user's rights for every message and every live event without a query:
the set is loaded once per user and process (:func:`load_permissions`, sync: may query), then read
by every connection of the user (:func:`held_permissions`). It is forgotten when rights change
(``kit.permissions`` from :mod:`kit.realtime.revocation`) and reloaded at least every
``PERMISSIONS_MAX_AGE`` seconds (should a notice be lost in a layer outage).
"""

from __future__ import annotations

import time
from typing import Any

from kit.authorization.held import get_permission_set
from kit.authorization.permission_set import PermissionSet

PERMISSIONS_MAX_AGE = 60.0

_loaded: dict[str, tuple[float, PermissionSet]] = {}


def held_permissions(user: Any) -> PermissionSet | None:
    """``user``'s permission set when loaded less than ``PERMISSIONS_MAX_AGE`` ago (no I/O)."""
    entry = _loaded.get(str(user.pk))
    if entry is None or time.monotonic() - entry[0] > PERMISSIONS_MAX_AGE:
        return None
    return entry[1]


def load_permissions(user: Any) -> PermissionSet:
    """``user``'s permission set, loaded when not held (sync: may query); stale entries are dropped."""
    held = held_permissions(user)
    if held is not None:
        return held
    now = time.monotonic()
    for key in [key for key, (loaded, _) in _loaded.items() if now - loaded > PERMISSIONS_MAX_AGE]:
        _loaded.pop(key, None)
    permissions = get_permission_set(user)
    _loaded[str(user.pk)] = (now, permissions)
    return permissions


def forget_permissions(user_pk: Any = None) -> None:
    """The next check of ``user_pk``'s rights (of every user's, ``user_pk`` None) loads them again."""
    if user_pk is None:
        _loaded.clear()
    else:
        _loaded.pop(str(user_pk), None)
