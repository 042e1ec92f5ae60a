"""Authorization: permission requirements on views, backends computing what accounts hold.

See docs/authorization.md.
"""

from kit.accounts.cache import invalidate_permissions
from kit.authorization.backends import AuthorizationBackend, NullBackend, RightsBackend, RoleBackend
from kit.authorization.held import get_permission_set, has_permission
from kit.authorization.permission_set import PermissionSet
from kit.authorization.requirements import (
    PermissionNotMet,
    Permissions,
    require_all_permissions,
    require_one_permission,
    require_permission,
    required_permissions,
)
from kit.authorization.rights import rights_grant
from kit.authorization.roles import role_order
from kit.authorization.scoping import Audience, OwnedQuerysetMixin, ScopedQuerysetMixin

__all__ = [
    "Audience",
    "AuthorizationBackend",
    "NullBackend",
    "OwnedQuerysetMixin",
    "PermissionNotMet",
    "PermissionSet",
    "Permissions",
    "RightsBackend",
    "RoleBackend",
    "ScopedQuerysetMixin",
    "get_permission_set",
    "has_permission",
    "invalidate_permissions",
    "require_all_permissions",
    "require_one_permission",
    "require_permission",
    "required_permissions",
    "rights_grant",
    "role_order",
]
