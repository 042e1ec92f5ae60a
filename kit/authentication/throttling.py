"""Throttles for the authentication endpoints (429 ``throttled`` with ``Retry-After``).

``AuthRateThrottle`` limits each client address to ``AUTH_THROTTLE_RATE`` requests (DRF's rate
syntax: ``"20/minute"``; None turns it off) over all of ``/api/auth/``. Counters live in Django's
default cache, so every process shares them when that cache is shared (Redis).
"""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from kit.conf import kit_settings


class AuthRateThrottle(SimpleRateThrottle):
    scope = "auth"

    def get_rate(self) -> str | None:
        return kit_settings.AUTH_THROTTLE_RATE

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
