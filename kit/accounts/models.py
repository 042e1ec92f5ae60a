"""What the account flows store: pending sign-ups, TOTP devices, recovery codes, users' sessions."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PendingSignup(models.Model):
    """An account created by sign-up whose address is not verified yet: only such an account is
    activated by a verification token (never one deactivated since, or created otherwise)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"pending sign-up of {self.user_id}"


class TotpDevice(models.Model):
    """A user's authenticator app: its shared secret, confirmed once the user entered a code."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kit_totp")
    secret = models.CharField(max_length=64, help_text="The base32 secret shared with the app.")
    confirmed = models.BooleanField(default=False)
    last_step = models.BigIntegerField(default=0, help_text="The last time step used (codes are single use).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "TOTP device"

    def __str__(self) -> str:
        return f"TOTP of {self.user_id}"


class RecoveryCode(models.Model):
    """One single-use recovery code of a user, stored as a keyed hash."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kit_recovery_codes"
    )
    code_hash = models.CharField(max_length=64, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"recovery code {self.pk} of {self.user_id}"


class AuthSession(models.Model):
    """A login: the refresh tokens carrying its ``sid`` (the first one and those rotated from it)."""

    sid = models.CharField(max_length=64, unique=True, help_text="The tokens' ``sid`` claim.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kit_sessions")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(db_index=True)
    user_agent = models.CharField(max_length=255, blank=True, default="")
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-last_used_at", "-pk"]

    def __str__(self) -> str:
        return f"session {self.sid} of {self.user_id}"
