"""Authorization: permission requirements on views, backends computing what accounts hold.

See docs/authorization.md.
"""

from kit.accounts.cache import invalidate_permissions
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

__all__ = [
    "PermissionNotMet",
    "PermissionSet",
    "Permissions",
    "get_permission_set",
    "has_permission",
    "invalidate_permissions",
    "require_all_permissions",
    "require_one_permission",
    "require_permission",
    "required_permissions",
]
