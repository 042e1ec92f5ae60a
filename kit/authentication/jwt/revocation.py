"""Revoking JWTs through a denylist in the shared cache.

- One token (logout): its ``jti`` is denied until the token would expire anyway.
- Every token of a user (password change, deactivation): tokens issued before the recorded
  instant are denied; the entry lives as long as the longest token lifetime.

Both live in the cache named by ``TOKEN_REVOCATION_CACHE`` (shared by every process, e.g. Redis),
and :func:`check_not_revoked` reads both in one round trip. The kit's tokens carry a fractional
``iat`` so that a token issued right after a password change is not caught by it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from django.core.cache import BaseCache, caches
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings

from kit.conf import kit_settings


def revocation_cache() -> BaseCache:
    """The cache holding the denylist (``KIT["TOKEN_REVOCATION_CACHE"]``)."""
    return caches[kit_settings.TOKEN_REVOCATION_CACHE]


def _jti_key(jti: str) -> str:
    return f"kit:jwt:denied:{jti}"


def _user_key(user_id: Any) -> str:
    return f"kit:jwt:revoked-before:{user_id}"


def _longest_lifetime() -> int:
    lifetimes = (api_settings.ACCESS_TOKEN_LIFETIME, api_settings.REFRESH_TOKEN_LIFETIME)
    return int(max(lifetimes).total_seconds()) + 60


def revoke_token(payload: dict[str, Any]) -> None:
    """Deny one token (by its ``jti``) until it expires."""
    jti = payload.get(api_settings.JTI_CLAIM)
    remaining = int(payload.get("exp", 0) - time.time()) + 1
    if jti and remaining > 0:
        revocation_cache().set(_jti_key(jti), True, timeout=remaining)


def revoke_user_tokens(user_id: Any) -> None:
    """Deny every token issued to the user until now (their password changed, or they left)."""
    revocation_cache().set(_user_key(user_id), time.time(), timeout=_longest_lifetime())


def revocation_keys(payload: dict[str, Any]) -> list[str]:
    """The cache keys :func:`check_not_revoked` reads for a token (for prefetching)."""
    jti, user_id = payload.get(api_settings.JTI_CLAIM, ""), payload.get(api_settings.USER_ID_CLAIM)
    return [_jti_key(jti), _user_key(user_id)]


def check_not_revoked(payload: dict[str, Any], found: Mapping[str, Any] | None = None) -> None:
    """Raise ``TokenError`` when the token was revoked.

    ``found`` holds the :func:`revocation_keys` entries when the caller read them already.
    """
    jti_key, user_key = keys = revocation_keys(payload)
    if found is None:
        found = revocation_cache().get_many(keys)
    if found.get(jti_key):
        raise TokenError("Token has been revoked")
    revoked_before = found.get(user_key)
    if revoked_before is not None and float(payload.get("iat", 0)) < revoked_before:
        raise TokenError("Token has been revoked")
