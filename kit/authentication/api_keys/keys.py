"""Creating and checking API keys.

A key reads ``<prefix>.<secret>``: the prefix (12 URL-safe characters) finds the row, the SHA-256
hash of the whole key proves it (compared in constant time). Keys carry 256 random bits, so a
fast hash is safe here (slow password hashes are for guessable secrets) and keeps each request
cheap. The hash does not depend on SECRET_KEY, so rotating that secret keeps keys working.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from kit.authentication.api_keys.models import ApiKey
from kit.conf import kit_settings

SEPARATOR = "."
PREFIX_BYTES = 9  # 12 characters
SECRET_BYTES = 32  # 43 characters, 256 bits


class InvalidApiKey(Exception):
    """The key is unknown, wrong, revoked, expired, or its owner is inactive."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def generate_key() -> tuple[str, str]:
    """A new random key and its prefix."""
    prefix = secrets.token_urlsafe(PREFIX_BYTES)
    return prefix, f"{prefix}{SEPARATOR}{secrets.token_urlsafe(SECRET_BYTES)}"


def api_key_create(*, owner: Any, name: str, expires_at: datetime | None = None) -> tuple[ApiKey, str]:
    """Create a key for ``owner``; return the row and the key (shown once, never stored)."""
    prefix, key = generate_key()
    api_key = ApiKey.objects.create(
        owner=owner, name=name, expires_at=expires_at, prefix=prefix, hashed_key=hash_key(key)
    )
    return api_key, key


def api_key_authenticate(key: str) -> ApiKey:
    """The usable :class:`ApiKey` matching ``key`` (owner loaded), or raise :class:`InvalidApiKey`."""
    prefix, separator, _secret = key.partition(SEPARATOR)
    api_key = None
    if separator and prefix:
        api_key = ApiKey.objects.select_related("owner").filter(prefix=prefix).first()
    expected = api_key.hashed_key if api_key is not None else hash_key("")
    if not hmac.compare_digest(hash_key(key), expected) or api_key is None:
        raise InvalidApiKey("Invalid API key.")
    if api_key.revoked:
        raise InvalidApiKey("API key revoked.")
    if api_key.is_expired:
        raise InvalidApiKey("API key expired.")
    if not getattr(api_key.owner, "is_active", True):
        raise InvalidApiKey("The API key's owner is inactive.")
    _record_use(api_key)
    return api_key


def _record_use(api_key: ApiKey) -> None:
    """Update ``last_used_at`` at most once per ``API_KEY_LAST_USED_INTERVAL`` seconds."""
    now = timezone.now()
    interval = timedelta(seconds=kit_settings.API_KEY_LAST_USED_INTERVAL)
    if api_key.last_used_at is None or now - api_key.last_used_at >= interval:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now


def api_key_revoke(*, api_key: ApiKey) -> None:
    api_key.revoked = True
    api_key.save(update_fields=["revoked"])
