"""Signal receivers that invalidate cached permission sets (connected by the kit's AppConfig)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from kit.accounts.cache import invalidate_permissions

# Saves touching only these fields cannot change permissions (login bookkeeping).
IRRELEVANT_USER_FIELDS = frozenset({"last_login"})


def _invalidate(user: Any = None) -> None:
    """Invalidate now and again after commit.

    Now: this process (and tests inside a transaction) sees the change at once. After commit:
    another process that recomputed the set from the not-yet-committed data meanwhile cannot keep
    that stale set.
    """
    invalidate_permissions(user)
    transaction.on_commit(lambda: invalidate_permissions(user))


def right_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Everyone: a role right reaches every holder of the role (or a higher one), and an edited
    # right may have moved from one user to another. Rights change rarely; recomputing is cheap.
    _invalidate()


def user_changed(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= IRRELEVANT_USER_FIELDS:
        return
    _invalidate(instance.pk)


def user_relations_changed(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    if reverse:  # e.g. group.user_set.add(...): the users are in pk_set (or unknown on clear)
        pk_set = kwargs.get("pk_set")
        if not pk_set:
            _invalidate()
        for pk in pk_set or ():
            _invalidate(pk)
    else:
        _invalidate(instance.pk)


def connect() -> None:
    from kit.authorization.models import Right

    user_model = get_user_model()
    post_save.connect(right_changed, sender=Right, dispatch_uid="kit.right_saved")
    post_delete.connect(right_changed, sender=Right, dispatch_uid="kit.right_deleted")
    post_save.connect(user_changed, sender=user_model, dispatch_uid="kit.user_saved")
    post_delete.connect(user_changed, sender=user_model, dispatch_uid="kit.user_deleted")
    for name in ("groups", "user_permissions"):
        field = next((f for f in user_model._meta.many_to_many if f.name == name), None)
        if field is not None:
            m2m_changed.connect(
                user_relations_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"kit.user_{name}_changed",
            )
