"""Throttles of the account flows (429 ``throttled`` with ``Retry-After``).

- :class:`EmailAddressRateThrottle`: requests naming each email address (``AUTH_THROTTLE_RATE``),
  whatever client sends them: nobody floods one mailbox with sign-up or reset emails.
- :class:`SecondFactorThrottle`: wrong second-factor codes per user (``MFA_THROTTLE_RATE``): once a
  user has entered that many in the window, every code is refused until the window has passed.
"""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from kit.authentication.throttling import LOCAL_FALLBACK, AuthRateThrottle, LocalFallbackThrottleMixin
from kit.cache import strict
from kit.conf import kit_settings


class EmailAddressRateThrottle(AuthRateThrottle):
    """Requests per email address in the body (its ``email`` member), case-folded."""

    scope = "auth_email"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        data = getattr(request, "data", None)
        address = data.get("email") if isinstance(data, dict) else None
        if not isinstance(address, str) or not address.strip():
            return None
        digest = hashlib.sha256(address.strip().casefold().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


class SecondFactorThrottle(LocalFallbackThrottleMixin, SimpleRateThrottle):
    """Counts only failures: :meth:`allow_request` checks, :meth:`record_failure` counts."""

    scope = "mfa"
    duration: int

    def __init__(self, user_id: Any) -> None:
        self.user_id = user_id
        super().__init__()

    def get_rate(self) -> str | None:
        return kit_settings.MFA_THROTTLE_RATE

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.user_id}

    def throttle_success(self) -> bool:
        return True  # a check is not an attempt: only wrong codes are recorded

    def record_failure(self) -> None:
        if self.rate is None:
            return
        self.history.insert(0, self.now)
        try:
            self.cache.set(self.key, self.history, self.duration)
        except strict.cache_errors():
            LOCAL_FALLBACK.set(self.key, self.history, self.duration)
