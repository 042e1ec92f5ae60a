"""Wrong second-factor codes per user (``MFA_THROTTLE_RATE``): once a user has entered that many
wrong codes in the window, every code is refused (429 ``throttled``) until the window has passed."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from kit.authentication.throttling import LOCAL_FALLBACK, LocalFallbackThrottleMixin
from kit.cache import strict
from kit.conf import kit_settings


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
        except strict.CACHE_ERRORS:
            LOCAL_FALLBACK.set(self.key, self.history, self.duration)
