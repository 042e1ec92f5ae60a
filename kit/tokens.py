"""One-time tokens: signed payloads with a purpose and an expiry, usable once.

For links sent by email (password reset, email confirmation, invitations)::

    from kit import tokens

    token = tokens.make_token({"user": user.pk}, purpose="password-reset", max_age=3600)
    payload = tokens.use_token(token, purpose="password-reset")  # a second use is rejected

Tokens are signed with ``SECRET_KEY`` (``django.core.signing``), so nothing is stored until a token
is used or revoked: then its id is recorded in the database (:class:`~kit.used_tokens.UsedToken`,
until the token expires), whose unique constraint lets exactly one of two processes racing to use a
token win. The cache named by ``ONE_TIME_TOKEN_CACHE`` only remembers used ids to spare the
database: it is read through :mod:`kit.cache.strict`, so a cache that is down, paused or restarted
empty never makes a used token valid again (the database answers). Tampered, expired,
wrong-purpose, used and revoked tokens raise :class:`InvalidToken` (a 400 problem
``invalid_token`` when raised in a view).
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction

from kit.cache import strict
from kit.conf import kit_settings
from kit.errors.exceptions import Problem

SALT = "kit.tokens"


class InvalidToken(Problem):
    """The token cannot be used; ``reason`` is one of ``tampered``, ``expired``, ``wrong_purpose``,
    ``used`` (or revoked)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(400, "invalid_token", detail, title="Invalid token")
        self.reason = reason


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
    from kit.used_tokens import UsedToken

    body = _open(token, purpose)
    alias, key = kit_settings.ONE_TIME_TOKEN_CACHE, _used_key(body["i"])
    found = strict.read_many(alias, [key])
    if found.get(key) or UsedToken.objects.filter(token_id=body["i"]).exists():
        if found is not strict.UNREADABLE:
            strict.store(alias, key, True, timeout=_remaining(body))
        raise InvalidToken("used", "The token has already been used.")
    return body["p"]


def use_token(token: str, *, purpose: str) -> Any:
    """The payload of a valid, unused token, which cannot be used again."""
    body = _open(token, purpose)
    if not _record(body, revoked=False):
        raise InvalidToken("used", "The token has already been used.")
    return body["p"]


def revoke_token(token: str, *, purpose: str) -> None:
    """Make a token unusable before it expires (an expired or invalid token needs nothing)."""
    try:
        body = _open(token, purpose)
    except InvalidToken:
        return
    _record(body, revoked=True)


def _remaining(body: dict[str, Any]) -> int:
    return int(body["e"] - time.time()) + 1


def _record(body: dict[str, Any], *, revoked: bool) -> bool:
    """Record the token as used (or revoked); False when it already was."""
    from kit.used_tokens import UsedToken

    UsedToken.objects.filter(expires_at__lte=datetime.now(UTC)).delete()  # refused as expired anyway
    try:
        with transaction.atomic():
            UsedToken.objects.create(
                token_id=body["i"],
                purpose=body["u"],
                revoked=revoked,
                expires_at=datetime.fromtimestamp(body["e"], UTC),
            )
        recorded = True
    except IntegrityError:
        recorded = False
    alias, key = kit_settings.ONE_TIME_TOKEN_CACHE, _used_key(body["i"])
    transaction.on_commit(lambda: strict.store(alias, key, True, timeout=_remaining(body)))
    return recorded
