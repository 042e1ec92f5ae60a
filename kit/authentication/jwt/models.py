"""Revoked JWTs, recorded in the database (the source of truth; the cache only speeds up reads)."""

from __future__ import annotations

from django.db import models


class TokenRevocation(models.Model):
    """One token revoked (``jti``), or every token of a user issued before ``issued_before``.

    A row is needed until ``expires_at`` (when the tokens it denies expire anyway); expired rows
    are deleted whenever a token is revoked.
    """

    user_id = models.CharField(max_length=255, db_index=True, help_text="The token's user id claim.")
    jti = models.CharField(max_length=255, blank=True, default="", help_text="One token's id.")
    issued_before = models.FloatField(
        null=True, blank=True, help_text="Every token of the user issued before (a UNIX time)."
    )
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.jti or self.issued_before}"
