"""The token endpoints under ``/api/auth/``: obtain, refresh, verify and logout.

All are throttled per client address, and obtain also per account (``AUTH_THROTTLE_RATE``). With
the cookie transport on, obtain and refresh also set HttpOnly cookies, refresh and logout also read
the refresh cookie (with the CSRF check), and logout deletes the cookies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views as simplejwt
from rest_framework_simplejwt.exceptions import TokenError

from kit.accounts.sessions import session_ended
from kit.authentication.jwt import cookies
from kit.authentication.jwt.revocation import revoke_token
from kit.authentication.jwt.serializers import (
    LogoutSerializer,
    RefreshedTokenSerializer,
    TokenObtainSerializer,
    TokenPairSerializer,
    TokenRefreshSerializer,
    TokenVerifySerializer,
)
from kit.authentication.jwt.tokens import AccessToken, RefreshToken
from kit.authentication.throttling import AuthRateThrottle, LoginAccountRateThrottle


class TokenViewBase(simplejwt.TokenViewBase):
    throttle_classes = [AuthRateThrottle]
    problem_statuses: tuple[str, ...] = ("401",)  # bad credentials or tokens (documented by kit.openapi)


class TokenObtainView(TokenViewBase):
    """Exchange a username and password (and a second factor's code, when the account has one)
    for an access token and a refresh token."""

    serializer_class = TokenObtainSerializer
    throttle_classes = [AuthRateThrottle, LoginAccountRateThrottle]
    problem_statuses = ("401", "403")  # 403: a second factor the role requires is not set up

    @extend_schema(responses={200: TokenPairSerializer})
    def post(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        response = super().post(request, *args, **kwargs)
        if cookies.cookies_enabled():
            cookies.set_token_cookies(
                request, response, access=response.data["access"], refresh=response.data["refresh"]
            )
        return response


class TokenRefreshView(TokenViewBase):
    """Exchange a refresh token (in the body, or the refresh cookie) for a new access token."""

    serializer_class = TokenRefreshSerializer

    @extend_schema(responses={200: RefreshedTokenSerializer})
    def post(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        from_cookie = _refresh_from_cookie(request)
        if from_cookie is None:
            response = super().post(request, *args, **kwargs)
        else:
            serializer = self.get_serializer(data={"refresh": from_cookie})
            try:
                serializer.is_valid(raise_exception=True)
            except TokenError as error:
                raise simplejwt.InvalidToken(error.args[0]) from error
            response = Response(serializer.validated_data, status=status.HTTP_200_OK)
        if cookies.cookies_enabled():
            cookies.set_token_cookies(
                request, response, access=response.data["access"], refresh=response.data.get("refresh")
            )
        return response


class TokenVerifyView(TokenViewBase):
    """Answer 200 when a token is valid and not revoked, 401 otherwise."""

    serializer_class = TokenVerifySerializer

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)


class LogoutView(APIView):
    """Revoke the access token of the request and the refresh token given (body or cookie)."""

    permission_classes = [AllowAny]
    throttle_classes = [AuthRateThrottle]
    problem_statuses = ("401",)

    @extend_schema(request=LogoutSerializer, responses={204: None})
    def post(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        raw_refresh = serializer.validated_data.get("refresh") or _refresh_from_cookie(request)
        revoked = False
        if isinstance(request.auth, AccessToken):
            revoke_token(request.auth.payload)
            revoked = True
        if raw_refresh:
            try:
                payload = RefreshToken(raw_refresh).payload  # type: ignore[arg-type]
                revoke_token(payload)
                session_ended(payload)
                revoked = True
            except TokenError:
                pass  # already unusable: nothing to revoke
        if not revoked:
            raise NotAuthenticated("Send the access token to revoke, or a valid refresh token.")
        response = Response(status=status.HTTP_204_NO_CONTENT)
        if cookies.cookies_enabled():
            cookies.delete_token_cookies(response)
        return response


def _refresh_from_cookie(request: Any) -> str | None:
    """The refresh token from its cookie when the body has none (the CSRF check applies)."""
    body = request.data if isinstance(request.data, Mapping) else {}
    if not cookies.cookies_enabled() or body.get("refresh"):
        return None
    raw = request.COOKIES.get(cookies.refresh_cookie_name())
    if raw:
        cookies.enforce_csrf(request)
    return raw or None
