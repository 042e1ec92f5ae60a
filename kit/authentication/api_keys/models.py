"""The ``ApiKey`` model: a key's public prefix and its SHA-256 hash, never the key itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiKey(models.Model):
    """A credential acting as ``owner``. The full key is shown once, when it is created."""

    name = models.CharField(max_length=100, help_text="What the key is for, e.g. billing-sync.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kit_api_keys",
        help_text="Requests made with the key act as this user.",
    )
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    hashed_key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="The key stops working at this time (empty: never)."
    )
    revoked = models.BooleanField(default=False, help_text="A revoked key stops working at once.")

    class Meta:
        verbose_name = "API key"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.revoked and not self.is_expired
