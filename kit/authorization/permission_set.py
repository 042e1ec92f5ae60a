"""The permissions an account holds, with ``*`` wildcards.

Names are either ``resource:operation`` (``items:read``) or plain words such as role names
(``admin``). A held ``items:*``, ``*:read`` or ``*:*`` covers every matching ``resource:operation``;
the single name ``*`` (:data:`ALL`) covers everything, role names included.
"""

from __future__ import annotations

ALL = "*"


class PermissionSet(frozenset[str]):
    """A frozen set of held permission names whose ``in`` understands wildcards."""

    @classmethod
    def everything(cls) -> PermissionSet:
        return cls({ALL})

    @property
    def is_everything(self) -> bool:
        return frozenset.__contains__(self, ALL)

    def __contains__(self, permission: object) -> bool:
        if not isinstance(permission, str):
            return False
        held = frozenset.__contains__
        if held(self, permission) or held(self, ALL):
            return True
        resource, colon, operation = permission.partition(":")
        if not colon:
            return False
        return held(self, f"{resource}:*") or held(self, f"*:{operation}") or held(self, "*:*")

    def __repr__(self) -> str:
        return f"PermissionSet({sorted(self)!r})"
