"""Close a user's open WebSocket connections when their credentials are revoked.

A receiver of :data:`kit.authentication.jwt.revocation.tokens_revoked` (sent after the commit of a
logout, a password change, a deactivation...) tells the user's group on the channel layer, so
every connection of the user, on every server process, closes with 4401: all of them when every
token of the user is revoked, only the one authenticated by the token otherwise. When rights
change, every process forgets the user's permission set (:mod:`kit.realtime.process`).
"""

from __future__ import annotations

from typing import Any

from kit.realtime.groups import PROCESSES, user_group
from kit.realtime.sending import group_send


def close_revoked_connections(sender: Any, user_id: str, jti: str | None = None, **kwargs: Any) -> None:
    group_send(user_group(user_id), {"type": "kit.revoked", "token_id": jti})


def reload_permissions(sender: Any, user_id: Any = None, **kwargs: Any) -> None:
    """Rights changed: every process forgets the user's permission set (every user's, ``user_id`` None)."""
    group_send(PROCESSES, {"type": "kit.permissions", "user_id": None if user_id is None else str(user_id)})


def connect() -> None:
    from kit.accounts.cache import permissions_invalidated
    from kit.authentication.jwt.revocation import tokens_revoked

    tokens_revoked.connect(close_revoked_connections, dispatch_uid="kit.realtime.close_revoked_connections")
    permissions_invalidated.connect(reload_permissions, dispatch_uid="kit.realtime.reload_permissions")
