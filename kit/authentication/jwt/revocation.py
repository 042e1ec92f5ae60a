"""Revoking JWTs: recorded in the database, read through the shared cache.

- One token (logout, a rotated refresh token): its ``jti`` is denied until the token expires.
- Every token of a session (a login, :mod:`kit.accounts.sessions`): its ``sid`` is denied until
  the session's refresh token expires.
- Every token of a user (password change, deactivation): tokens issued before the recorded
  instant are denied, until the longest token lifetime has passed.

Each revocation is a :class:`~kit.authentication.jwt.models.TokenRevocation` row, so it survives
a Redis restart. A user's revocations are read in one query and kept in the cache named by
``TOKEN_REVOCATION_CACHE``, tagged with a per-user version that every revocation deletes (through
:func:`kit.cache.strict.invalidate`: recorded in the database while the cache is unreachable, so
an entry cached before an outage cannot come back after it). When the cache cannot be read, the
database answers. The kit's tokens carry a fractional ``iat`` so that a token issued right after
a password change is not caught by it.

Every revocation sends :data:`tokens_revoked` (``user_id``, and ``jti`` for one token) once the
transaction commits: open WebSocket connections of the user close on it (:mod:`kit.realtime`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NoReturn

from django.db import transaction
from django.dispatch import Signal

from kit.cache import strict
from kit.conf import kit_settings

#: The claim naming the login a token belongs to (denied like a ``jti`` when the session is revoked).
SESSION_CLAIM = "sid"

#: A user's revocations as cached: (tokens issued before this UNIX time are denied, denied ids).
Revocations = tuple[float | None, frozenset[str]]

tokens_revoked = Signal()
"""Sent after the commit of a revocation: ``user_id``, and ``jti`` (None: every token of the user)."""


def _jwt_settings() -> Any:
    """simplejwt's settings, imported when first needed (they import django.test: not at startup)."""
    from rest_framework_simplejwt.settings import api_settings

    return api_settings


def _version_key(user_id: Any) -> str:
    return f"kit:jwt:version:{user_id}"


def _revocations_key(user_id: Any) -> str:
    return f"kit:jwt:revocations:{user_id}"


def _longest_lifetime() -> int:
    jwt = _jwt_settings()
    lifetimes = (jwt.ACCESS_TOKEN_LIFETIME, jwt.REFRESH_TOKEN_LIFETIME)
    return int(max(lifetimes).total_seconds()) + 60


def revoke_token(payload: dict[str, Any]) -> None:
    """Deny one token (by its ``jti``) until it expires."""
    jwt = _jwt_settings()
    jti, user_id = payload.get(jwt.JTI_CLAIM), payload.get(jwt.USER_ID_CLAIM)
    expires = payload.get("exp", 0)
    if jti and user_id is not None and expires > time.time():
        _record(user_id, jti=str(jti), expires_at=float(expires))


def revoke_session(user_id: Any, sid: str, *, expires_at: float) -> None:
    """Deny every token carrying the session id ``sid`` (access and refresh) until ``expires_at``."""
    if expires_at > time.time():
        _record(user_id, jti=sid, expires_at=expires_at)


def revoke_user_tokens(user_id: Any) -> None:
    """Deny every token issued to the user until now (their password changed, or they left)."""
    now = time.time()
    _record(user_id, issued_before=now, expires_at=now + _longest_lifetime())


def _record(user_id: Any, *, expires_at: float, jti: str = "", issued_before: float | None = None) -> None:
    from kit.authentication.jwt.models import TokenRevocation

    now = datetime.now(UTC)
    TokenRevocation.objects.filter(expires_at__lte=now).delete()  # no longer needed by anyone
    TokenRevocation.objects.create(
        user_id=str(user_id),
        jti=jti,
        issued_before=issued_before,
        expires_at=datetime.fromtimestamp(expires_at, UTC),
    )
    keys = [_version_key(user_id)]
    alias = kit_settings.TOKEN_REVOCATION_CACHE
    strict.invalidate(alias, keys)  # now, for this transaction's reads; after commit, for all
    transaction.on_commit(lambda: strict.invalidate(alias, keys))
    transaction.on_commit(
        lambda: tokens_revoked.send(sender=TokenRevocation, user_id=str(user_id), jti=jti or None)
    )


def revocation_keys(payload: dict[str, Any]) -> list[str]:
    """The cache keys :func:`check_not_revoked` reads for a token (for reading them with others)."""
    user_id = payload.get(_jwt_settings().USER_ID_CLAIM)
    return [_version_key(user_id), _revocations_key(user_id)]


def check_not_revoked(payload: dict[str, Any], found: Mapping[str, Any] | None = None) -> None:
    """Raise ``TokenError`` when the token was revoked.

    ``found``: what :func:`kit.cache.strict.read_many` answered for keys including
    :func:`revocation_keys`, when the caller read them already.
    """
    jwt = _jwt_settings()
    user_id = payload.get(jwt.USER_ID_CLAIM)
    if user_id is None:
        return  # revocations are recorded per user: a token without one was never revoked
    issued_before, denied = _revocations(user_id, found)
    if payload.get(jwt.JTI_CLAIM) in denied or payload.get(SESSION_CLAIM) in denied:
        _revoked()
    if issued_before is not None and float(payload.get("iat", 0)) < issued_before:
        _revoked()


def _revoked() -> NoReturn:
    from rest_framework_simplejwt.exceptions import TokenError

    raise TokenError("Token has been revoked")


def _revocations(user_id: Any, found: Mapping[str, Any] | None) -> Revocations:
    """The user's revocations: from the cache when it holds them, else from the database."""
    alias = kit_settings.TOKEN_REVOCATION_CACHE
    version_key, revocations_key = _version_key(user_id), _revocations_key(user_id)
    if found is None:
        found = strict.read_many(alias, [version_key, revocations_key])
    version = None if found is strict.UNREADABLE else strict.version(alias, version_key, found)
    if version is None:
        return _load(user_id)  # the cache cannot be reached: the database answers
    entry = found.get(revocations_key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
        cached: Revocations = entry[1]
        return cached
    revocations = _load(user_id)
    strict.store(alias, revocations_key, (version, revocations), timeout=_longest_lifetime())
    return revocations


def _load(user_id: Any) -> Revocations:
    from kit.authentication.jwt.models import TokenRevocation

    rows = TokenRevocation.objects.filter(user_id=str(user_id), expires_at__gt=datetime.now(UTC))
    issued_before, denied = None, set()
    for jti, before in rows.values_list("jti", "issued_before"):
        if jti:
            denied.add(jti)
        if before is not None and (issued_before is None or before > issued_before):
            issued_before = before
    return issued_before, frozenset(denied)
