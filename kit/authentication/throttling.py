"""Throttles for logins and the authentication endpoints (429 ``throttled`` with ``Retry-After``).

Both use ``AUTH_THROTTLE_RATE`` (DRF's rate syntax, ``"20/minute"``; None turns them off):

- ``AuthRateThrottle`` limits each client address over all of ``/api/auth/`` and the admin's login;
- ``LoginAccountRateThrottle`` limits the login attempts naming each account (``/api/auth/token``
  and the admin's login), whatever addresses they come from.

The client address is DRF's ``get_ident``: ``REMOTE_ADDR``, or the ``NUM_PROXIES``-th address from
the right of ``X-Forwarded-For`` when ``REST_FRAMEWORK["NUM_PROXIES"]`` (the ``NUM_PROXIES``
variable, default 0) says that many proxies of yours stand in front. Counters live in Django's
default cache, so every process shares them when that cache is shared (Redis).

Both fail closed (:class:`LocalFallbackThrottleMixin`): while that cache cannot be read or
written, each process counts in its own memory instead, so logins stay possible and bounded (at
most the rate per process, never unlimited) until Redis is back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.throttling import SimpleRateThrottle

from kit.cache import outages, strict
from kit.conf import kit_settings

#: This process's throttle history while the shared cache cannot be used.
LOCAL_FALLBACK = LocMemCache("kit-throttle-fallback", {"MAX_ENTRIES": 10_000})


class LocalFallbackThrottleMixin:
    """For a DRF ``SimpleRateThrottle``: its history is read and written through
    :mod:`kit.cache.strict` (DRF's ``cache.get`` would take a Redis error for an empty history and
    allow every request); when the cache fails, this process's memory counts instead."""

    cache_alias = DEFAULT_CACHE_ALIAS

    def allow_request(self, request: Any, view: Any) -> bool:
        self.cache = strict.strict_cache(self.cache_alias)
        try:
            allowed: bool = super().allow_request(request, view)  # type: ignore[misc]
        except strict.cache_errors() as error:
            outages.report_failure(self.cache_alias, error)
            self.cache = LOCAL_FALLBACK
            return super().allow_request(request, view)  # type: ignore[misc]
        outages.report_recovery(self.cache_alias)
        return allowed


class AuthRateThrottle(LocalFallbackThrottleMixin, SimpleRateThrottle):
    """Requests per client address."""

    scope = "auth"

    def get_rate(self) -> str | None:
        return kit_settings.AUTH_THROTTLE_RATE

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginAccountRateThrottle(AuthRateThrottle):
    """Login attempts per account named in the request (the user model's ``USERNAME_FIELD``).

    Every attempt counts, right password or not, so a throttled account cannot log in until the
    window has passed: an attacker can delay one account's new logins, never guess its password.
    """

    scope = "auth_account"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        account = login_account(getattr(request, "data", None) or request.POST)
        if account is None:
            return None
        digest = hashlib.sha256(account.encode()).hexdigest()  # any text, a fixed-size key
        return self.cache_format % {"scope": self.scope, "ident": digest}


def login_account(data: Mapping[str, Any]) -> str | None:
    """The account a login names, as the login's serializer reads it (a number is its text),
    case-folded (databases may match names case-insensitively)."""
    value = data.get(get_user_model().USERNAME_FIELD) if isinstance(data, Mapping) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    return value.strip().casefold() if isinstance(value, str) and value.strip() else None


def login_throttle_wait(request: Any) -> float | None:
    """Record a login attempt outside DRF (the admin's); the seconds to wait when it is throttled."""
    waits = [
        throttle.wait() or 0.0
        for throttle in (AuthRateThrottle(), LoginAccountRateThrottle())
        if not throttle.allow_request(request, None)  # no DRF view here
    ]
    return max(waits) if waits else None
