"""Authorization backends: they compute the :class:`PermissionSet` an account holds.

Choose one with the KIT option ``AUTHORIZATION_BACKEND`` (an import string):

- :class:`NullBackend`: everybody holds everything (development only: system check ``kit.E011``);
- :class:`RoleBackend`: the account's role (``ROLE_FIELD``), the roles below it (``role_order()``), and
  the permissions ``ROLE_PERMISSIONS`` grants to those roles;
- :class:`RightsBackend` (default): the role backend's set plus the ``Right`` rows granted to the
  user or to a role they hold;
- your own subclass of :class:`AuthorizationBackend`.

Results are cached per account (``kit.accounts.cache``), so a backend must depend only on
the account and on data whose changes invalidate the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from typing import Any

from django.core.signals import setting_changed
from django.db.models import Q

from kit.authorization.permission_set import PermissionSet
from kit.authorization.roles import role_order
from kit.conf import kit_settings


class AuthorizationBackend:
    """Base class: override :meth:`get_permissions`."""

    def get_permissions(self, account: Any) -> PermissionSet:
        raise NotImplementedError

    @property
    def cache_namespace(self) -> str:
        """Part of the cache key: changes when the backend or its configuration changes."""
        kind = f"{type(self).__module__}.{type(self).__qualname__}"
        return hashlib.sha256(f"{kind}|{self.configuration()!r}".encode()).hexdigest()[:16]

    def configuration(self) -> Any:
        """Options the permission sets depend on (for :attr:`cache_namespace`)."""
        return None


class NullBackend(AuthorizationBackend):
    """Every account holds every permission. For development: refused outside DEBUG (kit.E011)."""

    def get_permissions(self, account: Any) -> PermissionSet:
        return PermissionSet.everything()


class RoleBackend(AuthorizationBackend):
    """Permissions from the account's role: the role, lower roles, and their ``ROLE_PERMISSIONS``.

    The roles are ordered lowest first (:func:`~kit.authorization.roles.role_order`): a higher role
    holds the lower ones. Superusers hold everything unless ``SUPERUSER_HAS_ALL_PERMISSIONS`` is off.
    """

    def configuration(self) -> Any:
        return (
            kit_settings.ROLE_FIELD,
            role_order(),
            sorted((role, sorted(perms)) for role, perms in kit_settings.ROLE_PERMISSIONS.items()),
            kit_settings.SUPERUSER_HAS_ALL_PERMISSIONS,
        )

    def get_role(self, account: Any) -> str | None:
        """The role as a plain string (a ``TextChoices`` member set in code becomes its value)."""
        role = getattr(account, kit_settings.ROLE_FIELD, None)
        return str(role) if role else None

    def get_roles(self, account: Any) -> set[str]:
        """The account's role and every role below it in ``ROLES``."""
        role = self.get_role(account)
        if role is None:
            return set()
        order = role_order()
        lower = order[: order.index(role)] if role in order else []
        return {role, *lower}

    def is_superuser(self, account: Any) -> bool:
        return bool(kit_settings.SUPERUSER_HAS_ALL_PERMISSIONS and getattr(account, "is_superuser", False))

    def get_permissions(self, account: Any) -> PermissionSet:
        if self.is_superuser(account):
            return PermissionSet.everything()
        roles = self.get_roles(account)
        return PermissionSet(roles | set(self.role_permissions(roles)))

    def role_permissions(self, roles: Iterable[str]) -> Iterable[str]:
        granted = kit_settings.ROLE_PERMISSIONS
        return (permission for role in roles for permission in granted.get(role, ()))


class RightsBackend(RoleBackend):
    """The role backend's permissions plus ``Right`` rows for the user or for a role they hold."""

    def get_permissions(self, account: Any) -> PermissionSet:
        from kit.authorization.models import Right

        if self.is_superuser(account):
            return PermissionSet.everything()
        roles = self.get_roles(account)
        held = roles | set(self.role_permissions(roles))
        condition = Q(user__isnull=True, role__in=roles) if roles else Q()
        if getattr(account, "pk", None) is not None:
            condition |= Q(user_id=account.pk)
        if condition:
            rights = Right.objects.filter(condition).values_list("resource", "operation")
            held.update(f"{resource}:{operation}" for resource, operation in rights)
        return PermissionSet(held)


@cache
def get_backend() -> AuthorizationBackend:
    """The configured backend (one instance, rebuilt when the KIT setting changes)."""
    backend_class = kit_settings.AUTHORIZATION_BACKEND
    return backend_class()


def _reset_backend(*, setting: str, **kwargs: Any) -> None:
    if setting == "KIT":
        get_backend.cache_clear()


setting_changed.connect(_reset_backend)
