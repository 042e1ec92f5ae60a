"""Test users: create them and give them a role, Django permissions and kit rights."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

DEFAULT_PASSWORD = "correct-horse-battery-staple"  # the password of users tests create

_numbers = itertools.count(1)


def create_user(
    username: str | None = None,
    *,
    password: str = DEFAULT_PASSWORD,
    role: str | None = None,
    permissions: Iterable[str] = (),
    rights: Iterable[str] = (),
    **fields: Any,
) -> Any:
    """Create a user of the project's user model (unique name and email unless given).

    ``password`` is set (and kept on ``user.plain_password`` for login tests); ``role``,
    ``permissions`` and ``rights`` are granted as :func:`grant` does; other keyword arguments are
    model fields (``is_staff=True``, ``email=...``).
    """
    model = get_user_model()
    number = next(_numbers)
    username = username or f"user{number}"
    fields.setdefault(model.USERNAME_FIELD, username)
    email_field = model.get_email_field_name()
    if email_field != model.USERNAME_FIELD and hasattr(model, email_field):
        fields.setdefault(email_field, f"{username}@example.com")
    user: Any = model._default_manager.create_user(password=password, **fields)
    user.plain_password = password
    grant(user, role=role, permissions=permissions, rights=rights)
    return user


def grant(
    user: Any,
    *,
    role: str | None = None,
    permissions: Iterable[str] = (),
    rights: Iterable[str] = (),
) -> None:
    """Give ``user`` a role, permissions and rights.

    - ``role``: stored in the user's role field (the KIT option ``ROLE_FIELD``, ``role`` by default);
    - ``permissions``: kit permissions ``"resource:operation"`` (granted as ``Right`` rows, like
      ``rights``) or Django permissions ``"app_label.codename"`` (added to ``user_permissions``);
    - ``rights``: ``"resource:operation"`` strings granted to the user as ``Right`` rows (``*``
      is a wildcard: ``"items:*"``).
    """
    if role is not None:
        _set_role(user, role)
    kit_permissions = list(rights)
    for permission in permissions:
        if ":" in permission:
            kit_permissions.append(permission)
        else:
            user.user_permissions.add(_django_permission(permission))
    if kit_permissions:
        _grant_rights(user, kit_permissions)


def _set_role(user: Any, role: str) -> None:
    field = _role_field()
    names = {f.name for f in user._meta.get_fields()}
    if field not in names:
        raise ValueError(
            f"cannot give {user!r} the role {role!r}: the user model {type(user).__name__} has no "
            f"{field!r} field (the KIT option ROLE_FIELD names it)"
        )
    setattr(user, field, role)
    user.save(update_fields=[field])


def _role_field() -> str:
    from kit.conf import kit_settings

    try:
        field: str = kit_settings.ROLE_FIELD
    except AttributeError:  # identity options not installed: the documented default
        field = "role"
    return field


def _django_permission(permission: str) -> Permission:
    app_label, _, codename = permission.partition(".")
    if not app_label or not codename:
        raise ValueError(
            f"{permission!r} is neither a kit permission 'resource:operation' nor a Django "
            "permission 'app_label.codename'"
        )
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist:
        raise ValueError(f"there is no Django permission {permission!r}") from None


def _grant_rights(user: Any, permissions: list[str]) -> None:
    try:
        from kit.authorization.models import Right
    except ImportError:
        raise ValueError(
            f"cannot grant {permissions}: kit rights need kit.authorization (the Right model)"
        ) from None
    for permission in permissions:
        resource, _, operation = permission.partition(":")
        if not resource or not operation:
            raise ValueError(f"{permission!r} is not a right 'resource:operation'")
        Right.objects.get_or_create(user=user, resource=resource, operation=operation)
