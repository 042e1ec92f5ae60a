"""Granting rights in bulk (used by the admin's grant page)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from kit.accounts.cache import invalidate_permissions
from kit.authorization.models import Right


def rights_grant(*, permissions: Iterable[str], users: Iterable[Any] = (), roles: Iterable[str] = ()) -> int:
    """Grant each ``resource:operation`` to each user and role; return how many rights were new."""
    pairs = [tuple(permission.split(":", 1)) for permission in permissions]
    holders = [{"user": user, "role": ""} for user in users] + [
        {"user": None, "role": role} for role in roles
    ]
    created = 0
    with transaction.atomic():
        for holder in holders:
            for resource, operation in pairs:
                _, new = Right.objects.get_or_create(resource=resource, operation=operation, **holder)
                created += new
    invalidate_permissions()
    return created
