"""The optional HttpOnly cookie transport for JWTs (enabled by the KIT option ``JWT_COOKIE_NAME``).

The access token travels in ``JWT_COOKIE_NAME`` (path ``JWT_COOKIE_PATH``) and the refresh token in
``JWT_REFRESH_COOKIE_NAME`` (default: the access cookie's name + ``_refresh``), restricted to the
auth endpoints (``JWT_REFRESH_COOKIE_PATH``). Both are HttpOnly, ``SameSite=JWT_COOKIE_SAMESITE``,
and ``Secure`` unless DEBUG (or as ``JWT_COOKIE_SECURE`` says). Requests authenticated by a cookie
must pass Django's CSRF check for unsafe methods (send the ``csrftoken`` cookie's value in the
``X-CSRFToken`` header).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.middleware.csrf import get_token
from rest_framework.authentication import SessionAuthentication
from rest_framework_simplejwt.settings import api_settings

from kit.conf import kit_settings


def cookies_enabled() -> bool:
    return bool(kit_settings.JWT_COOKIE_NAME)


def access_cookie_name() -> str:
    return str(kit_settings.JWT_COOKIE_NAME)


def refresh_cookie_name() -> str:
    return str(kit_settings.JWT_REFRESH_COOKIE_NAME or f"{kit_settings.JWT_COOKIE_NAME}_refresh")


def _secure() -> bool:
    configured = kit_settings.JWT_COOKIE_SECURE
    return (not settings.DEBUG) if configured is None else bool(configured)


def _max_age(lifetime: timedelta) -> int:
    configured = kit_settings.JWT_COOKIE_MAX_AGE
    return int(lifetime.total_seconds()) if configured is None else int(configured)


def set_token_cookies(request: Any, response: Any, *, access: str | None, refresh: str | None) -> None:
    """Set the cookies for the tokens given, and make sure the client gets a CSRF cookie."""
    common = {
        "domain": kit_settings.JWT_COOKIE_DOMAIN,
        "secure": _secure(),
        "httponly": True,
        "samesite": kit_settings.JWT_COOKIE_SAMESITE,
    }
    if access:
        response.set_cookie(
            access_cookie_name(),
            access,
            max_age=_max_age(api_settings.ACCESS_TOKEN_LIFETIME),
            path=kit_settings.JWT_COOKIE_PATH,
            **common,
        )
    if refresh:
        response.set_cookie(
            refresh_cookie_name(),
            refresh,
            max_age=_max_age(api_settings.REFRESH_TOKEN_LIFETIME),
            path=kit_settings.JWT_REFRESH_COOKIE_PATH,
            **common,
        )
    get_token(request)  # CsrfViewMiddleware sends the csrftoken cookie with this response


def delete_token_cookies(response: Any) -> None:
    domain = kit_settings.JWT_COOKIE_DOMAIN
    samesite = kit_settings.JWT_COOKIE_SAMESITE
    response.delete_cookie(
        access_cookie_name(), path=kit_settings.JWT_COOKIE_PATH, domain=domain, samesite=samesite
    )
    response.delete_cookie(
        refresh_cookie_name(), path=kit_settings.JWT_REFRESH_COOKIE_PATH, domain=domain, samesite=samesite
    )


def has_header_credentials(request: Any) -> bool:
    api_key_meta = "HTTP_" + kit_settings.API_KEY_HEADER.upper().replace("-", "_")
    return bool(request.META.get("HTTP_AUTHORIZATION") or request.META.get(api_key_meta))


def enforce_csrf(request: Any) -> None:
    """Django's CSRF check, as DRF applies it to session authentication (403 on failure)."""
    SessionAuthentication().enforce_csrf(request)
