"""drf-spectacular security schemes for the kit's authentication classes.

- ``jwtAuth``: ``Authorization: Bearer <token>``; with the cookie transport also ``jwtCookieAuth``
  (the access cookie), either one accepted;
- ``apiKeyAuth`` (``Authorization: Api-Key <key>``) or ``apiKeyHeader`` (``X-API-Key``);
- the null backend adds no scheme (every request is accepted).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object

from kit.authentication.jwt import cookies
from kit.conf import kit_settings


class JWTScheme(OpenApiAuthenticationExtension):
    target_class = "kit.authentication.jwt.authentication.JWTAuthentication"
    match_subclasses = True
    priority = 1  # before drf-spectacular's own extension for simplejwt

    def __init__(self, target: Any) -> None:
        super().__init__(target)
        self.name = ["jwtAuth", "jwtCookieAuth"] if cookies.cookies_enabled() else ["jwtAuth"]

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[Any]]]:
        return [{name: []} for name in self.name]

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, Any]]:
        bearer = build_bearer_security_scheme_object("Authorization", "Bearer", "JWT")
        if not cookies.cookies_enabled():
            return [bearer]
        cookie = {
            "type": "apiKey",
            "in": "cookie",
            "name": cookies.access_cookie_name(),
            "description": "The access token in an HttpOnly cookie (unsafe methods need X-CSRFToken).",
        }
        return [bearer, cookie]


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "kit.authentication.api_keys.authentication.ApiKeyAuthentication"
    match_subclasses = True
    name = ["apiKeyAuth", "apiKeyHeader"]

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[Any]]]:
        return [{name: []} for name in self.name]

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, Any]]:
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "An API key as `Authorization: Api-Key <key>`.",
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": kit_settings.API_KEY_HEADER,
                "description": "An API key in its own header.",
            },
        ]


class NullScheme(OpenApiAuthenticationExtension):
    target_class = "kit.authentication.null.NullAuthentication"
    name: list[str] = []

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[Any]]]:
        return []

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, Any]]:
        return []
