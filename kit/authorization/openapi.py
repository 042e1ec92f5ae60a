"""What the OpenAPI document says about an operation's permissions (used by ``kit.openapi``).

Each operation that requires permissions shows them twice: in its description and in the
``x-required-permissions`` extension, ``{"all": [...], "any": [...]}`` (every permission of
``all``, and at least one of ``any`` when it is not empty; both empty: any authenticated caller).
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import AllowAny

from kit.authorization.permissions import HasRequiredPermissions
from kit.authorization.requirements import Permissions, required_permissions


def operation_permissions(view: Any, method: str) -> Permissions | None:
    """The requirement :class:`HasRequiredPermissions` enforces on the operation, if it applies."""
    if not any(isinstance(permission, HasRequiredPermissions) for permission in view.get_permissions()):
        return None
    return required_permissions(view, method)


def requires_credentials(view: Any, method: str) -> bool:
    """Whether the operation can answer 401/403."""
    for permission in view.get_permissions():
        if isinstance(permission, HasRequiredPermissions):
            if required_permissions(view, method) is not None:
                return True
        elif not isinstance(permission, AllowAny):
            return True
    return False


def permissions_extension(required: Permissions) -> dict[str, list[str]]:
    return {"all": sorted(required.and_set), "any": sorted(required.or_set)}


def permissions_description(required: Permissions) -> str:
    """A Markdown sentence, e.g. "**Required permissions:** `items:read`."."""
    parts = []
    if required.and_set:
        parts.append(", ".join(f"`{name}`" for name in sorted(required.and_set)))
    if required.or_set:
        parts.append("at least one of " + ", ".join(f"`{name}`" for name in sorted(required.or_set)))
    text = "; ".join(parts) if parts else "none beyond an authenticated caller"
    return f"**Required permissions:** {text}."
