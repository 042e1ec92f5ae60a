"""The null authentication backend: every request runs as one dummy account.

For development only: the system check ``kit.E010`` refuses it when DEBUG is off. Put it last in
``DEFAULT_AUTHENTICATION_CLASSES`` so that real credentials, when sent, still identify the caller.
"""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import BaseAuthentication


class DummyAccount:
    """An authenticated account that is nobody (no database row, no role)."""

    pk = None
    id = None
    username = "dummy"
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __str__(self) -> str:
        return self.username

    def get_username(self) -> str:
        return self.username


class NullAuthentication(BaseAuthentication):
    """Authenticate every request as a fresh :class:`DummyAccount`."""

    def authenticate(self, request: Any) -> tuple[DummyAccount, None]:
        return DummyAccount(), None
