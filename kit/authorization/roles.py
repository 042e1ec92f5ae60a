"""The roles, lowest first: ``KIT["ROLES"]``, else the choices of the user model's role field.

A project declares its roles once: as the ``choices`` of the field ``KIT["ROLE_FIELD"]`` names
(``Role`` ``TextChoices`` listed lowest first), or in ``KIT["ROLES"]``, which wins when set.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.core.signals import setting_changed

from kit.conf import kit_settings

FALLBACK_ROLES = ("regular", "admin")
"""The order when neither ``KIT["ROLES"]`` nor the role field's choices name any role."""


def role_order() -> list[str]:
    """The roles, lowest first: a higher role holds the lower ones."""
    return list(_role_order())


@cache
def _role_order() -> tuple[str, ...]:
    # Read on every request (the permission cache's namespace): computed once per settings.
    if kit_settings.ROLES is not None:
        return tuple(kit_settings.ROLES)
    try:
        field = get_user_model()._meta.get_field(kit_settings.ROLE_FIELD)
    except FieldDoesNotExist:
        return FALLBACK_ROLES
    return tuple(str(value) for value, _ in getattr(field, "flatchoices", ())) or FALLBACK_ROLES


def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting in ("KIT", "AUTH_USER_MODEL"):
        _role_order.cache_clear()


setting_changed.connect(_reset)
