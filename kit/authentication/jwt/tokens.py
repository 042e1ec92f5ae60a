"""The kit's token classes: simplejwt's, with a fractional ``iat``, the revocation check and a
user id claim that can be a user's id."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from rest_framework_simplejwt import tokens
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings

from kit.authentication.jwt.revocation import SESSION_CLAIM, check_not_revoked


def check_user_id(payload: Mapping[str, Any]) -> None:
    """Refuse a token whose user id claim no user can have (``"abc"`` for an integer key).

    simplejwt would look it up and crash (``ValueError``): such a token is invalid, like one whose
    user does not exist.
    """
    user_id = payload.get(api_settings.USER_ID_CLAIM)
    if user_id is None:
        return
    options = get_user_model()._meta
    field = (
        options.pk if api_settings.USER_ID_FIELD == "pk" else options.get_field(api_settings.USER_ID_FIELD)
    )
    try:
        field.to_python(user_id)  # type: ignore[union-attr]
    except ValidationError as error:
        raise TokenError("Token contained no recognizable user identification") from error


class RevocableMixin:
    """Reject revoked tokens wherever a token is verified (authentication, refresh, verify)."""

    payload: dict

    def verify(self) -> None:
        super().verify()  # type: ignore[misc]
        check_user_id(self.payload)
        check_not_revoked(self.payload)

    def set_iat(self, claim: str = "iat", at_time: datetime | None = None) -> None:
        # Sub-second precision (RFC 7519 allows it), compared with revocation instants.
        at_time = at_time or self.current_time  # type: ignore[attr-defined]
        self.payload[claim] = round(at_time.timestamp(), 6)


class AccessToken(RevocableMixin, tokens.AccessToken):
    pass


class RefreshToken(RevocableMixin, tokens.RefreshToken):
    """A refresh token with a session id (``sid``), copied into its access tokens and into the
    refresh tokens rotated from it: revoking the session denies them all."""

    access_token_class = AccessToken

    @classmethod
    def for_user(cls, user: Any) -> RefreshToken:
        token: Any = super().for_user(user)
        token[SESSION_CLAIM] = secrets.token_urlsafe(16)
        return token


class UntypedToken(RevocableMixin, tokens.UntypedToken):
    pass
