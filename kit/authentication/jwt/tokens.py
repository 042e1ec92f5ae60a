"""The kit's token classes: simplejwt's, with a fractional ``iat`` and the revocation check."""

from __future__ import annotations

from datetime import datetime

from rest_framework_simplejwt import tokens

from kit.authentication.jwt.revocation import check_not_revoked


class RevocableMixin:
    """Reject revoked tokens wherever a token is verified (authentication, refresh, verify)."""

    payload: dict

    def verify(self) -> None:
        super().verify()  # type: ignore[misc]
        check_not_revoked(self.payload)

    def set_iat(self, claim: str = "iat", at_time: datetime | None = None) -> None:
        # Sub-second precision (RFC 7519 allows it), compared with revocation instants.
        at_time = at_time or self.current_time  # type: ignore[attr-defined]
        self.payload[claim] = round(at_time.timestamp(), 6)


class AccessToken(RevocableMixin, tokens.AccessToken):
    pass


class RefreshToken(RevocableMixin, tokens.RefreshToken):  # type: ignore[misc]
    access_token_class = AccessToken


class UntypedToken(RevocableMixin, tokens.UntypedToken):
    pass
