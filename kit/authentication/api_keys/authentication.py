"""``ApiKeyAuthentication``: ``Authorization: Api-Key <key>`` or the ``X-API-Key`` header.

The ``Authorization`` header wins when both are sent. ``request.user`` is the key's owner and
``request.auth`` the :class:`~kit.authentication.api_keys.models.ApiKey`.
"""

from __future__ import annotations

from typing import Any

from rest_framework import HTTP_HEADER_ENCODING
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from kit.authentication.api_keys.keys import InvalidApiKey, api_key_authenticate
from kit.conf import kit_settings

KEYWORD = "Api-Key"


class ApiKeyAuthentication(BaseAuthentication):
    keyword = KEYWORD

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        key = self.get_key(request)
        if key is None:
            return None
        try:
            api_key = api_key_authenticate(key)
        except InvalidApiKey as error:
            raise AuthenticationFailed(str(error)) from error
        return api_key.owner, api_key

    def get_key(self, request: Any) -> str | None:
        """The key from ``Authorization: Api-Key <key>``, else from the ``API_KEY_HEADER`` header."""
        parts = get_authorization_header(request).split()
        if parts and parts[0].decode(HTTP_HEADER_ENCODING).lower() == self.keyword.lower():
            if len(parts) != 2:
                raise AuthenticationFailed("The Authorization header must be: Api-Key <key>.")
            return self._text(parts[1])
        header = kit_settings.API_KEY_HEADER
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"))
        if raw is None:
            return None
        return self._text(raw.strip().encode(HTTP_HEADER_ENCODING, errors="replace"))

    @staticmethod
    def _text(raw: bytes) -> str:
        try:
            return raw.decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed("Invalid API key.") from error

    def authenticate_header(self, request: Any) -> str:
        return f'{self.keyword} realm="api"'
