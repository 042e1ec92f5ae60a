"""What a WebSocket handshake tells: a Django request built from the ASGI scope, its request id,
whether its ``Origin`` may use ambient credentials (the JWT cookie), and who it authenticates.

Authentication runs the project's DRF authentication classes (``DEFAULT_AUTHENTICATION_CLASSES``:
JWT with revocation, API keys, ...) on that request, so a WebSocket accepts exactly the accounts
the HTTP API accepts. Credentials come from headers (``Authorization``, ``X-API-Key``) or the JWT
cookie, never from the query string (which proxies and access logs record): the query string is
not copied into the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.settings import api_settings

from kit.authentication.jwt import cookies
from kit.conf import kit_settings
from kit.request_id import VALID_REQUEST_ID, new_request_id


@dataclass(frozen=True)
class Identity:
    """Who a connection acts as: the user, and what authenticated it (a token payload, an API key)."""

    user: Any
    auth: Any = None

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated)

    @property
    def token_id(self) -> str | None:
        """The ``jti`` of the JWT that authenticated the connection, if one did."""
        payload = getattr(self.auth, "payload", None)
        return str(payload.get("jti")) if isinstance(payload, dict) and payload.get("jti") else None


ANONYMOUS = Identity(user=None)


def scope_request(scope: dict[str, Any]) -> HttpRequest:
    """A Django request for the handshake: path, headers (as ``HTTP_*``), cookies, client address.

    Its method is GET (the handshake's); the query string is left out on purpose.
    """
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = scope.get("path", "/")
    meta: dict[str, Any] = {"REQUEST_METHOD": "GET", "PATH_INFO": request.path, "QUERY_STRING": ""}
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        key = name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}"
        meta[key] = f"{meta[key]},{value}" if key in meta else value
    client = scope.get("client") or ("", 0)
    meta["REMOTE_ADDR"] = client[0] or ""
    server = scope.get("server") or ("", 0)
    meta["SERVER_NAME"], meta["SERVER_PORT"] = server[0] or "", str(server[1] or "")
    request.META = meta
    request.COOKIES = _cookies(meta.get("HTTP_COOKIE", ""))
    request_id = meta.get("HTTP_" + kit_settings.REQUEST_ID_HEADER.upper().replace("-", "_"), "")
    request.request_id = request_id if VALID_REQUEST_ID.fullmatch(request_id) else new_request_id()  # type: ignore[attr-defined]
    return request


def _cookies(header: str) -> dict[str, str]:
    cookie = SimpleCookie()
    try:
        cookie.load(header)
    except Exception:
        return {}
    return {name: morsel.value for name, morsel in cookie.items()}


def origin_allowed(request: HttpRequest) -> bool:
    """Whether the handshake's ``Origin`` may use the browser's cookies.

    Allowed: no ``Origin`` (not a browser), an origin in ``CORS_ALLOWED_ORIGINS`` (or every origin
    with ``CORS_ALLOW_ALL_ORIGINS``), or the same host as the handshake's ``Host``. A page of another
    site opening a WebSocket to the service (cross-site WebSocket hijacking) is refused the cookie.
    """
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        return True
    if getattr(settings, "CORS_ALLOW_ALL_ORIGINS", False) or origin in getattr(
        settings, "CORS_ALLOWED_ORIGINS", ()
    ):
        return True
    host = request.META.get("HTTP_HOST", "")
    return bool(host) and urlsplit(origin).netloc.lower() == host.lower()


def without_cookie_credentials(request: HttpRequest) -> HttpRequest:
    """``request`` with the JWT cookie removed (its ``Origin`` may not use it)."""
    if cookies.cookies_enabled():
        request.COOKIES.pop(cookies.access_cookie_name(), None)
    return request


def authenticate(request: HttpRequest, authentication_classes: list[Any] | None = None) -> Identity:
    """Run the DRF authentication classes on the handshake request (sync: may query).

    Raises the authenticator's ``APIException`` (``AuthenticationFailed``) for credentials that
    were given and are invalid (malformed, expired, revoked, unknown key). No credentials give
    :data:`ANONYMOUS`.
    """
    if not origin_allowed(request):
        request = without_cookie_credentials(request)
    classes: list[Any] = authentication_classes or list(api_settings.DEFAULT_AUTHENTICATION_CLASSES)
    drf_request = Request(request, authenticators=[cls() for cls in classes])
    user = drf_request.user  # runs the authenticators; raises for invalid credentials
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    return Identity(user=user, auth=drf_request.auth)


def credentials_request(request: HttpRequest, message: dict[str, Any]) -> HttpRequest:
    """The handshake request carrying the credentials of an ``authenticate`` message.

    ``{"type": "authenticate", "token": "<JWT>"}`` becomes ``Authorization: Bearer <JWT>``;
    ``{"type": "authenticate", "api_key": "<key>"}`` becomes the API key header. Cookies are dropped:
    only the message's credentials count.
    """
    authenticated = HttpRequest()
    authenticated.method = "GET"
    authenticated.path = authenticated.path_info = request.path
    meta = {
        key: value for key, value in request.META.items() if key not in ("HTTP_AUTHORIZATION", "HTTP_COOKIE")
    }
    api_key_meta = "HTTP_" + kit_settings.API_KEY_HEADER.upper().replace("-", "_")
    meta.pop(api_key_meta, None)
    token, api_key = message.get("token"), message.get("api_key")
    if isinstance(token, str) and token:
        meta["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    elif isinstance(api_key, str) and api_key:
        meta[api_key_meta] = api_key
    authenticated.META = meta
    authenticated.COOKIES = {}
    authenticated.request_id = request.request_id  # type: ignore[attr-defined]
    return authenticated
