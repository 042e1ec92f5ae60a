"""One-time tokens (Atila): signed payloads with a purpose and an expiry, usable once.

For links sent by email (password reset, email confirmation, invitations)::

    from kit import tokens

    token = tokens.make_token({"user": user.pk}, purpose="password-reset", max_age=3600)
    payload = tokens.use_token(token, purpose="password-reset")  # a second use is rejected

Tokens are signed with ``SECRET_KEY`` (``django.core.signing``), so nothing is stored until a token
is used or revoked: then its id is kept in the cache named by ``ONE_TIME_TOKEN_CACHE`` until the
token expires. ``cache.add()`` is atomic, so two processes racing to use one token cannot both win.
Tampered, expired, wrong-purpose, used and revoked tokens raise :class:`InvalidToken` (a 400
problem ``invalid_token`` when raised in a view).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.core import signing
from django.core.cache import BaseCache, caches

from kit.conf import kit_settings
from kit.exceptions import Problem

SALT = "kit.tokens"


class InvalidToken(Problem):
    """The token cannot be used; ``reason`` is one of ``tampered``, ``expired``, ``wrong_purpose``,
    ``used`` (or revoked)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(400, "invalid_token", detail, title="Invalid token")
        self.reason = reason


def _cache() -> BaseCache:
    return caches[kit_settings.ONE_TIME_TOKEN_CACHE]


def _used_key(token_id: str) -> str:
    return f"kit:tokens:used:{token_id}"


def make_token(payload: Any, *, purpose: str, max_age: int | None = None) -> str:
    """Sign ``payload`` (anything JSON can hold) for ``purpose``, valid for ``max_age`` seconds."""
    lifetime = kit_settings.ONE_TIME_TOKEN_MAX_AGE if max_age is None else max_age
    body = {"p": payload, "u": purpose, "e": int(time.time()) + int(lifetime), "i": secrets.token_urlsafe(12)}
    return signing.dumps(body, salt=SALT, compress=True)


def _open(token: str, purpose: str) -> dict[str, Any]:
    try:
        body = signing.loads(token, salt=SALT)
    except signing.BadSignature as error:
        raise InvalidToken("tampered", "The token is invalid.") from error
    if not isinstance(body, dict) or not {"p", "u", "e", "i"} <= body.keys():
        raise InvalidToken("tampered", "The token is invalid.")
    if body["u"] != purpose:
        raise InvalidToken("wrong_purpose", "The token is not meant for this.")
    if body["e"] <= time.time():
        raise InvalidToken("expired", "The token has expired.")
    return body


def verify_token(token: str, *, purpose: str) -> Any:
    """The payload of a valid, unused token, without using it up."""
    body = _open(token, purpose)
    if _cache().get(_used_key(body["i"])):
        raise InvalidToken("used", "The token has already been used.")
    return body["p"]


def use_token(token: str, *, purpose: str) -> Any:
    """The payload of a valid, unused token, which cannot be used again."""
    body = _open(token, purpose)
    remaining = int(body["e"] - time.time()) + 1
    if not _cache().add(_used_key(body["i"]), True, timeout=remaining):
        raise InvalidToken("used", "The token has already been used.")
    return body["p"]


def revoke_token(token: str, *, purpose: str) -> None:
    """Make a token unusable before it expires (an expired or invalid token needs nothing)."""
    try:
        body = _open(token, purpose)
    except InvalidToken:
        return
    _cache().set(_used_key(body["i"]), True, timeout=int(body["e"] - time.time()) + 1)
