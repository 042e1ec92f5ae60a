"""The DRF permission class that enforces declared requirements (see ``requirements``).

``HasRequiredPermissions`` is in ``REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]``. For each request:

- OPTIONS is always allowed (CORS preflight, metadata);
- a view and method without a requirement are public;
- otherwise the caller must be authenticated (401 ``unauthenticated``) and hold the requirement
  (403 ``forbidden``, the detail names the missing permission).

Object-level checks: a view may define ``authorize_object(request, obj) -> bool``; DRF's
``get_object()`` calls it through :meth:`HasRequiredPermissions.has_object_permission`.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from kit.authorization.held import get_permission_set
from kit.authorization.requirements import PermissionNotMet, required_permissions


class HasRequiredPermissions(BasePermission):
    """Allow when the caller holds what the view requires for the request's method."""

    message = "You do not have permission to perform this action."

    def has_permission(self, request: Any, view: Any) -> bool:
        required = required_permissions(view, request.method)
        if required is None:
            return True
        user = request.user
        if not (user and user.is_authenticated):
            return False  # DRF answers 401 when the request carried no valid credentials
        try:
            required.verify(get_permission_set(user, request))
        except PermissionNotMet as missing:
            self.message = f"Missing permission: {missing.permission}."
            return False
        return True

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        authorize_object = getattr(view, "authorize_object", None)
        if authorize_object is None:
            return True
        return bool(authorize_object(request, obj))
