"""``BearerAuthentication``: simplejwt's ``JWTAuthentication`` with the kit's cookie transport,
revocation and cached accounts; the base of :class:`kit.authentication.jwt.authentication.JWTAuthentication`
(see it), imported with its first instance.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rest_framework_simplejwt import authentication, tokens
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings

from kit.accounts.cache import account_keys, get_account
from kit.authentication.jwt import cookies
from kit.authentication.jwt.revocation import check_not_revoked, revocation_keys
from kit.authentication.jwt.signatures import CheckedSignatures
from kit.authentication.jwt.tokens import AccessToken, check_user_id
from kit.authorization.backends import get_backend
from kit.cache import strict
from kit.conf import kit_settings


class _AccessTokenCheckedLater(AccessToken):
    """The kit's access token whose revocation ``BearerAuthentication.get_user`` checks.

    Its signature is checked once per process (:mod:`kit.authentication.jwt.signatures`).
    """

    def get_token_backend(self) -> Any:
        return CheckedSignatures(super().get_token_backend())

    def verify(self) -> None:
        tokens.AccessToken.verify(self)
        check_user_id(self.payload)


class BearerAuthentication(authentication.JWTAuthentication):
    """The implementation of ``kit.authentication.jwt.authentication.JWTAuthentication``."""

    token_class = _AccessTokenCheckedLater

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        header = self.get_header(request)
        if header is not None and self.get_raw_token(header) is not None:
            return super().authenticate(request)
        if not cookies.cookies_enabled() or cookies.has_header_credentials(request):
            return None  # credentials sent in a header win over the ambient cookie
        raw_token = request.COOKIES.get(cookies.access_cookie_name())
        if not raw_token:
            return None
        validated_token = self.get_validated_token(raw_token.encode())
        user = self.get_user(validated_token)
        cookies.enforce_csrf(request)
        return user, validated_token

    def get_validated_token(self, raw_token: bytes) -> Any:
        try:
            return self.token_class(raw_token)  # type: ignore[arg-type]  # simplejwt accepts bytes
        except TokenError as error:
            raise InvalidToken(str(error.args[0])) from error

    def get_user(self, validated_token: Any) -> Any:
        payload = validated_token.payload
        user_id = payload.get(api_settings.USER_ID_CLAIM)
        try:
            if user_id is None or not self._caches_accounts():
                check_not_revoked(payload)
                return super().get_user(validated_token)
            keys = revocation_keys(payload)
            backend = get_backend()
            shared = kit_settings.TOKEN_REVOCATION_CACHE == kit_settings.PERMISSIONS_CACHE
            found = strict.read_many(
                kit_settings.TOKEN_REVOCATION_CACHE, keys + (account_keys(user_id, backend) if shared else [])
            )
            check_not_revoked(payload, found)
        except TokenError as error:
            raise InvalidToken(str(error.args[0])) from error
        load: Any = partial(super().get_user, validated_token)
        return get_account(user_id, backend, load, found if shared else None)

    def _caches_accounts(self) -> bool:
        """Accounts are cached when on, and keyed by primary key (what invalidation knows)."""
        return bool(kit_settings.CACHE_ACCOUNTS) and api_settings.USER_ID_FIELD in (
            "pk",
            self.user_model._meta.pk.name,
        )
