"""Django system checks for kit misconfiguration (ids ``kit.E0xx`` errors, ``kit.W0xx`` warnings)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.utils.module_loading import import_string


def _authentication_classes() -> list[str]:
    configured = (getattr(settings, "REST_FRAMEWORK", None) or {}).get("DEFAULT_AUTHENTICATION_CLASSES", [])
    return [
        item if isinstance(item, str) else f"{item.__module__}.{item.__qualname__}" for item in configured
    ]


@register(Tags.security)
def check_null_authentication(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """kit.E010: the null authentication backend outside DEBUG."""
    if settings.DEBUG or "kit.authentication.null.NullAuthentication" not in _authentication_classes():
        return []
    return [
        Error(
            "The null authentication backend accepts every request as a dummy account, and DEBUG is off.",
            hint="Remove kit.authentication.null.NullAuthentication from "
            "REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES'] (it is for development only).",
            id="kit.E010",
        )
    ]


@register(Tags.security)
def check_authorization_backend(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """kit.E011: the null authorization backend outside DEBUG; kit.E012: an unusable backend."""
    from kit.authorization.backends import AuthorizationBackend, NullBackend
    from kit.conf.options import DEFAULTS

    path = (getattr(settings, "KIT", None) or {}).get(
        "AUTHORIZATION_BACKEND", DEFAULTS["AUTHORIZATION_BACKEND"]
    )
    try:
        backend = import_string(path) if isinstance(path, str) else path
    except ImportError as error:
        backend, reason = None, str(error)
    else:
        reason = "it is not a subclass of kit.authorization.backends.AuthorizationBackend"
    if not (isinstance(backend, type) and issubclass(backend, AuthorizationBackend)):
        return [
            Error(
                f"KIT['AUTHORIZATION_BACKEND'] = {path!r} is unusable: {reason}.",
                hint="Use kit.authorization.backends.RightsBackend, RoleBackend, or your own subclass "
                "of AuthorizationBackend.",
                id="kit.E012",
            )
        ]
    if issubclass(backend, NullBackend) and not settings.DEBUG:
        return [
            Error(
                "The null authorization backend grants every permission to everyone, and DEBUG is off.",
                hint="Set KIT['AUTHORIZATION_BACKEND'] to kit.authorization.backends.RightsBackend "
                "or RoleBackend.",
                id="kit.E011",
            )
        ]
    return []


@register()
def check_roles(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """kit.E013: ROLES must be a list of distinct names; ROLE_PERMISSIONS maps roles to lists."""
    from kit.conf import kit_settings

    roles, granted = kit_settings.ROLES, kit_settings.ROLE_PERMISSIONS
    valid = (
        isinstance(roles, list | tuple)
        and all(isinstance(role, str) and role and role != "*" for role in roles)
        and len(set(roles)) == len(roles)
        and isinstance(granted, dict)
        and all(isinstance(perms, list | tuple | set | frozenset) for perms in granted.values())
    )
    if valid:
        return []
    return [
        Error(
            "KIT['ROLES'] or KIT['ROLE_PERMISSIONS'] is malformed.",
            hint="ROLES: distinct role names, lowest first, e.g. ['regular', 'admin']; "
            "ROLE_PERMISSIONS: {'regular': ['items:read'], 'admin': ['*:*']}.",
            id="kit.E013",
        )
    ]


@register()
def check_auth_throttle_rate(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """kit.E014: AUTH_THROTTLE_RATE must be None or DRF's '<count>/<period>'."""
    from rest_framework.throttling import SimpleRateThrottle

    from kit.conf import kit_settings

    rate = kit_settings.AUTH_THROTTLE_RATE
    try:
        SimpleRateThrottle.parse_rate(None, rate)  # type: ignore[arg-type]
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return [
            Error(
                f"KIT['AUTH_THROTTLE_RATE'] = {rate!r} is not a rate.",
                hint="Use '<count>/<second|minute|hour|day>', e.g. '20/minute', or None to turn it off.",
                id="kit.E014",
            )
        ]
    return []
