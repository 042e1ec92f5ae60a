"""The kit's permission set as a Django authentication backend: ``user.has_perm("items:read")``.

Listed in ``AUTHENTICATION_BACKENDS`` after Django's ``ModelBackend`` (which keeps passwords, user
and group permissions). It authenticates nobody; it answers ``has_perm``, ``has_perms``,
``has_module_perms`` and ``{{ perms }}`` from the cached permission set the API uses
(:func:`kit.authorization.get_permission_set`), wildcards included. Django asks every backend
and grants what any of them grants.

A Django permission ``app_label.codename`` is the kit permission ``app_label:codename``: a right
``catalog:view_item`` lets the admin, ``DjangoModelPermissions`` and ``permission_required`` show
items; ``catalog:*`` grants every permission of the app, ``*:*`` every permission. In templates,
``{{ perms.items.read }}`` asks for ``items:read``. See docs/authorization.md.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from kit.authorization.held import get_permission_set
from kit.authorization.permission_set import ALL, PermissionSet


def kit_permission_name(perm: str) -> str:
    """The kit's name for ``perm``: ``app_label.codename`` becomes ``app_label:codename``."""
    if ":" not in perm and "." in perm:
        app_label, _, codename = perm.partition(".")
        return f"{app_label}:{codename}"
    return perm


class PermissionSetBackend(BaseBackend):
    """Answer Django's permission questions from the kit's permission set (never authenticates).

    Inactive and anonymous users hold nothing (Django's rule). Object permissions (``obj`` given)
    are not granted: rights apply to a whole resource; row-level access is the views' scoping.
    """

    def _held(self, user_obj: Any, obj: Any = None) -> PermissionSet:
        if obj is not None or not (user_obj.is_active and user_obj.is_authenticated):
            return PermissionSet()
        return get_permission_set(user_obj)

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        """The held names as the kit writes them (``items:read``, ``*:*``, role names)."""
        return set(self._held(user_obj, obj))

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return kit_permission_name(perm) in self._held(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        """Whether some held permission names the resource ``app_label``, or any resource (``*``)."""
        held = self._held(user_obj)
        if held.is_everything:
            return True
        return any(name.partition(":")[0] in (app_label, ALL) for name in held if ":" in name)
