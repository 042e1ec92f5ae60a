"""Serializers of the token endpoints: simplejwt's, on the kit's revocable token classes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import update_last_login
from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt import serializers as simplejwt
from rest_framework_simplejwt.settings import api_settings

from kit.accounts.mfa import check_second_factor
from kit.accounts.sessions import session_refreshed, session_start
from kit.authentication.jwt.revocation import revoke_token
from kit.authentication.jwt.tokens import RefreshToken, UntypedToken


class TokenObtainSerializer(simplejwt.TokenObtainPairSerializer):
    """Username and password (and the second factor's code, when the account has one) in; an
    access and a refresh token out. With the ``sessions`` flow on, the login is recorded.

    An account with an authenticator app always needs its code, even with the ``mfa`` flow off
    (a second factor is never skipped by a configuration change)."""

    token_class = RefreshToken

    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        max_length=32,
        help_text="The code of the authenticator app (or a recovery code), when the account has one.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        simplejwt.TokenObtainSerializer.validate(self, attrs)  # checks the credentials: self.user
        request = self.context.get("request")
        check_second_factor(self.user, attrs.get("otp"), request)
        user: Any = self.user
        refresh: Any = self.get_token(user)
        session_start(user=user, refresh=refresh, request=request)
        if api_settings.UPDATE_LAST_LOGIN:
            update_last_login(None, user)  # type: ignore[arg-type]  # the signal receiver's sender
        return {"refresh": str(refresh), "access": str(refresh.access_token)}


class TokenRefreshSerializer(simplejwt.TokenRefreshSerializer):
    """A refresh token in; a new access token out (and a new refresh token when rotating)."""

    token_class = RefreshToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        replaced = RefreshToken(attrs["refresh"]).payload if api_settings.ROTATE_REFRESH_TOKENS else None
        try:
            data = super().validate(attrs)
        except ObjectDoesNotExist as error:  # the user was deleted
            raise AuthenticationFailed("No active account found for the given token.") from error
        if replaced is not None:
            revoke_token(replaced)
            session_refreshed(RefreshToken(data["refresh"], verify=False).payload)  # type: ignore[arg-type]
        return data


class TokenPairSerializer(serializers.Serializer):
    """What obtaining tokens answers (documentation only)."""

    access = serializers.CharField(help_text="The access token: send it as `Authorization: Bearer <token>`.")
    refresh = serializers.CharField(help_text="The refresh token: exchange it for new access tokens.")


class RefreshedTokenSerializer(serializers.Serializer):
    """What refreshing answers (documentation only)."""

    access = serializers.CharField(help_text="A new access token.")
    refresh = serializers.CharField(required=False, help_text="A new refresh token, when tokens rotate.")


class TokenVerifySerializer(serializers.Serializer):
    """Any kit token in; 200 when it is valid and not revoked."""

    token = serializers.CharField(write_only=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        UntypedToken(attrs["token"])
        return {}


class LogoutSerializer(serializers.Serializer):
    """Optionally, the refresh token to revoke with the access token."""

    refresh = serializers.CharField(required=False, write_only=True)
