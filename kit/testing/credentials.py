"""Credentials for test clients: authenticate as a user the way real clients do.

``auth_client`` walks the project's ``DEFAULT_AUTHENTICATION_CLASSES`` and uses the first class
it has a credentials provider for: a provider gives the client real credentials (a signed JWT,
an API key, a session cookie) so every request goes through the configured authentication, never
around it (no ``force_authenticate``). Register a provider for your own authentication class::

    from kit.testing.credentials import credentials_provider

    @credentials_provider("myservice.auth.SignedHeaderAuthentication")
    def signed_header(client, user):
        client.credentials(HTTP_X_SIGNATURE=sign(user))
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.module_loading import import_string
from rest_framework.settings import api_settings

from kit.deferred import complete

Provider = Callable[[Any, Any], None]

_providers: dict[str, Provider] = {}


def credentials_provider(authentication_class: str) -> Callable[[Provider], Provider]:
    """Register ``provider(client, user)`` for an authentication class (by dotted path)."""

    def register(provider: Provider) -> Provider:
        _providers[authentication_class] = provider
        return provider

    return register


def authenticate(client: Any, user: Any, authentication: type | str | None = None) -> type:
    """Give ``client`` credentials of ``user`` for ``authentication`` or the first configured class.

    Returns the authentication class used; raises ``LookupError`` when none has a provider.
    """
    if authentication is not None:
        candidates: Sequence[Any] = [authentication]
    else:
        candidates = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    for candidate in candidates:
        authentication_class = import_string(candidate) if isinstance(candidate, str) else candidate
        provider = _provider_for(authentication_class)
        if provider is not None:
            provider(client, user)
            return authentication_class
    names = [c if isinstance(c, str) else f"{c.__module__}.{c.__qualname__}" for c in candidates]
    raise LookupError(
        f"auth_client cannot authenticate through {names}: none has a credentials provider "
        "(register one with kit.testing.credentials.credentials_provider)"
    )


def _provider_for(authentication_class: type) -> Provider | None:
    complete(authentication_class)  # a class whose base is deferred (kit.deferred) shows its real MRO
    for base in authentication_class.__mro__:
        provider = _providers.get(f"{base.__module__}.{base.__qualname__}")
        if provider is not None:
            return provider
    return None


@credentials_provider("rest_framework_simplejwt.authentication.JWTAuthentication")
def jwt_bearer(client: Any, user: Any) -> None:
    """An access token from the configured obtain serializer, sent as ``Authorization: Bearer``."""
    from rest_framework_simplejwt.settings import api_settings as jwt_settings

    serializer = import_string(jwt_settings.TOKEN_OBTAIN_SERIALIZER)
    token = serializer.get_token(user)
    access = getattr(token, "access_token", token)  # a sliding token is its own access token
    header_types = jwt_settings.AUTH_HEADER_TYPES
    header_type = header_types if isinstance(header_types, str) else header_types[0]
    client.credentials(**{jwt_settings.AUTH_HEADER_NAME: f"{header_type} {access}"})


@credentials_provider("kit.authentication.api_keys.authentication.ApiKeyAuthentication")
def api_key(client: Any, user: Any) -> None:
    """A new API key of ``user`` (``client.api_key``), sent as ``Authorization: Api-Key <key>``."""
    from kit.authentication.api_keys.authentication import KEYWORD
    from kit.authentication.api_keys.keys import api_key_create

    _, key = api_key_create(owner=user, name="auth_client")
    client.api_key = key
    client.credentials(HTTP_AUTHORIZATION=f"{KEYWORD} {key}")


@credentials_provider("rest_framework.authentication.SessionAuthentication")
def session(client: Any, user: Any) -> None:
    """A real session cookie (Django's login), read back by the session middleware."""
    client.force_login(user)


@credentials_provider("rest_framework.authentication.BasicAuthentication")
def basic(client: Any, user: Any) -> None:
    """HTTP Basic with the user's password (a new random one unless ``plain_password`` is known)."""
    password = getattr(user, "plain_password", None)
    if password is None:
        password = secrets.token_urlsafe(16)
        user.set_password(password)
        user.save(update_fields=["password"])
        user.plain_password = password
    pair = f"{user.get_username()}:{password}".encode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {base64.b64encode(pair).decode()}")
