"""Permission requirements: what a view (or one of its methods) asks of the caller.

A requirement is a :class:`Permissions` object: every permission of ``and_set`` must be held, and
when ``or_set`` is not empty, at least one of it too. Views declare them:

- ``permissions = {"items:read", "items:export"}`` on the class (all required), or a
  :class:`Permissions` object;
- the decorators :func:`require_permission`, :func:`require_all_permissions` and
  :func:`require_one_permission` on a handler method (``get``, ``post``...) or on the class; stacked
  decorators combine (and-sets and or-sets are merged);
- ``resource = "items"`` alone maps GET/HEAD to ``items:read``, POST to ``items:create``, PUT/PATCH
  to ``items:update`` and DELETE to ``items:delete``.

:func:`required_permissions` resolves what applies to one view and HTTP method.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any, TypeVar

Target = TypeVar("Target", bound=Callable[..., Any])

RESOURCE_OPERATIONS: dict[str, str] = {
    "GET": "read",
    "HEAD": "read",
    "POST": "create",
    "PUT": "update",
    "PATCH": "update",
    "DELETE": "delete",
}
"""The operation a ``resource`` view requires for each HTTP method."""


class PermissionNotMet(Exception):
    """The caller lacks ``permission`` (the first missing one)."""

    def __init__(self, permission: str) -> None:
        super().__init__(permission)
        self.permission = permission


class Permissions:
    """A requirement: all of ``and_set`` and, if not empty, at least one of ``or_set``."""

    def __init__(self, and_set: Iterable[str] | None = None, or_set: Iterable[str] | None = None) -> None:
        self.and_set: frozenset[str] = frozenset(and_set or ())
        self.or_set: frozenset[str] = frozenset(or_set or ())

    def combine(self, other: Permissions) -> Permissions:
        """Both requirements' and-sets and or-sets merged."""
        return Permissions(self.and_set | other.and_set, self.or_set | other.or_set)

    def verify(self, actual: Collection[str]) -> None:
        """Raise :class:`PermissionNotMet` unless ``actual`` satisfies this requirement.

        ``actual`` is any container (a set, or a :class:`~kit.authorization.permission_set.PermissionSet`
        that also understands ``*`` wildcards).
        """
        for permission in sorted(self.and_set):
            if permission not in actual:
                raise PermissionNotMet(permission)
        if self.or_set and not any(permission in actual for permission in self.or_set):
            raise PermissionNotMet(" | ".join(sorted(self.or_set)))

    def is_met_by(self, actual: Collection[str]) -> bool:
        try:
            self.verify(actual)
        except PermissionNotMet:
            return False
        return True

    def __bool__(self) -> bool:
        return bool(self.and_set or self.or_set)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Permissions):
            return NotImplemented
        return (self.and_set, self.or_set) == (other.and_set, other.or_set)

    def __hash__(self) -> int:
        return hash((self.and_set, self.or_set))

    def __str__(self) -> str:
        text = " & ".join(sorted(self.and_set))
        if self.or_set:
            any_of = " | ".join(sorted(self.or_set))
            text = f"{text} & ({any_of})" if text else any_of
        return text or "authenticated"

    def __repr__(self) -> str:
        return f"Permissions(and_set={set(self.and_set)!r}, or_set={set(self.or_set)!r})"


def as_permissions(value: Any) -> Permissions | None:
    """Normalise a declared requirement (None, a Permissions object, one name or a collection)."""
    if value is None or isinstance(value, Permissions):
        return value
    if isinstance(value, str):
        return Permissions(and_set={value})
    return Permissions(and_set=value)


def _require(and_set: Iterable[str] = (), or_set: Iterable[str] = ()) -> Callable[[Target], Target]:
    added = Permissions(and_set, or_set)

    def decorator(target: Target) -> Target:
        current = as_permissions(getattr(target, "permissions", None)) or Permissions()
        target.permissions = current.combine(added)  # type: ignore[attr-defined]
        return target

    return decorator


def require_permission(permission: str) -> Callable[[Target], Target]:
    """Require ``permission`` (on a handler method or a view class)."""
    return _require(and_set=[permission])


def require_all_permissions(permissions: Iterable[str]) -> Callable[[Target], Target]:
    """Require every one of ``permissions``."""
    return _require(and_set=permissions)


def require_one_permission(permissions: Iterable[str]) -> Callable[[Target], Target]:
    """Require at least one of ``permissions``."""
    return _require(or_set=permissions)


def method_handler(view: Any, method: str) -> Any:
    """The view method serving ``method`` (DRF viewsets route through ``action_map``)."""
    name = method.lower()
    action_map = getattr(view, "action_map", None) or {}
    name = action_map.get(name, name)
    if name == "head" and not hasattr(view, "head"):
        name = action_map.get("get", "get")
    return getattr(view, name, None)


def required_permissions(view: Any, method: str) -> Permissions | None:
    """What ``view`` requires for the HTTP ``method``; None when it requires nothing (public).

    Precedence: the handler's decorators (combined with the class requirement), else the class's
    ``permissions``, else the ``resource`` mapping. OPTIONS never requires anything. An empty
    requirement (``permissions = set()``) still requires an authenticated caller.
    """
    method = method.upper()
    if method == "OPTIONS":
        return None
    declared = as_permissions(getattr(view, "permissions", None))
    handler = method_handler(view, method)
    on_method = as_permissions(getattr(handler, "permissions", None)) if handler else None
    if on_method is not None:
        return declared.combine(on_method) if declared is not None else on_method
    if declared is not None:
        return declared
    resource = getattr(view, "resource", None)
    if resource:
        operation = RESOURCE_OPERATIONS.get(method, method.lower())
        return Permissions(and_set={f"{resource}:{operation}"})
    return None
