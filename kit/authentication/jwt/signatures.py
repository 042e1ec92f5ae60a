"""The payloads of access tokens whose signature this process has already checked.

A client sends the same access token with every request until it expires. Checking its signature
again gives the same answer each time, so :class:`CheckedSignatures` keeps the payloads of the
last tokens it decoded (a bounded LRU keyed by the whole token, signature included) and decodes
only tokens it has not seen. What changes with time is checked on every request all the same:
an expired token is decoded again, so it gets the backend's own error, and simplejwt's ``verify``
checks ``exp``, the token type and the id; the kit's authentication then checks revocation in the
shared cache.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from rest_framework_simplejwt.backends import TokenBackend

#: Tokens remembered per process: about 1.5 kB each.
SIZE = 1024


class CheckedSignatures:
    """A token backend decoding each token once (while it is valid), then from memory."""

    def __init__(self, backend: TokenBackend) -> None:
        self.backend = backend

    def decode(self, token: Any, verify: bool = True) -> dict[str, Any]:
        if not verify:
            return self.backend.decode(token, verify=False)
        payload, expires = _decoded(self.backend, token)
        if expires is not None and expires <= time.time() - self.backend.get_leeway().total_seconds():
            return self.backend.decode(token)  # expired since: the backend's error
        return dict(payload)  # the caller's own copy

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)  # encode, get_leeway, ...


@lru_cache(maxsize=SIZE)
def _decoded(backend: TokenBackend, token: Any) -> tuple[dict[str, Any], float | None]:
    payload = backend.decode(token)  # raises for a token it refuses: nothing is remembered
    expires = payload.get("exp")
    return payload, float(expires) if isinstance(expires, int | float) else None


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in ("SIMPLE_JWT", "SECRET_KEY"):
        _decoded.cache_clear()
