"""Revoke a user's JWTs when their password changes or their account is deactivated.

``post_init`` remembers the loaded password hash and ``is_active`` flag (without loading deferred
fields); ``post_save`` compares. Changes that send no signal (``QuerySet.update()``) must call
``kit.authentication.jwt.revocation.revoke_user_tokens(user_id)`` themselves.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_init, post_save

from kit.authentication.jwt.revocation import revoke_user_tokens

STATE_ATTRIBUTE = "_kit_credentials_state"


def _state(instance: Any) -> tuple[Any, Any]:
    loaded = instance.__dict__  # never touch deferred fields: that would run a query
    return loaded.get("password"), loaded.get("is_active")


def remember_credentials(sender: Any, instance: Any, **kwargs: Any) -> None:
    setattr(instance, STATE_ATTRIBUTE, _state(instance))


def revoke_on_credentials_change(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    old_password, old_active = getattr(instance, STATE_ATTRIBUTE, (None, None))
    new_password, new_active = _state(instance)
    setattr(instance, STATE_ATTRIBUTE, (new_password, new_active))
    if created:
        return
    password_changed = old_password is not None and new_password is not None and old_password != new_password
    deactivated = old_active is True and new_active is False
    if password_changed or deactivated:
        revoke_user_tokens(instance.pk)


def connect() -> None:
    user_model = get_user_model()
    post_init.connect(remember_credentials, sender=user_model, dispatch_uid="kit.user_credentials_loaded")
    post_save.connect(
        revoke_on_credentials_change, sender=user_model, dispatch_uid="kit.user_credentials_saved"
    )
