"""Used and revoked one-time tokens, recorded in the database (the source of truth; the cache only
speeds up reads): see :mod:`kit.tokens`."""

from __future__ import annotations

from django.db import models


class UsedToken(models.Model):
    """A one-time token that was used (or revoked): its id is unique, so only one use can be
    recorded. A row is needed until ``expires_at`` (the token is refused as expired after that);
    expired rows are deleted whenever a token is used or revoked."""

    token_id = models.CharField(max_length=64, unique=True, help_text="The token's random id.")
    purpose = models.CharField(max_length=100)
    revoked = models.BooleanField(default=False, help_text="Revoked rather than used.")
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.purpose}:{self.token_id}"
