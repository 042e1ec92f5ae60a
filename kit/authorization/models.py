"""The ``Right`` model: grants ``resource:operation`` to one user or to every holder of a role."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

NAME_VALIDATOR = RegexValidator(
    r"^(\*|[A-Za-z0-9_.\-]+)$", "Use letters, digits, '_', '.', '-', or '*' alone for any."
)


class Right(models.Model):
    """One granted permission. Exactly one of ``user`` and ``role`` is set; ``*`` is a wildcard."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kit_rights",
        help_text="The user this right is granted to (leave empty to grant it to a role).",
    )
    role = models.CharField(
        max_length=50,
        blank=True,
        default="",
        db_index=True,
        help_text="The role this right is granted to (every user holding the role or a higher one).",
    )
    resource = models.CharField(
        max_length=100, validators=[NAME_VALIDATOR], help_text="Resource name, e.g. items; * for any."
    )
    operation = models.CharField(
        max_length=50,
        validators=[NAME_VALIDATOR],
        help_text="Operation, e.g. read, create, update, delete; * for any.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resource", "operation", "role", "user"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(role="")) | (Q(user__isnull=True) & ~Q(role="")),
                name="kit_right_user_xor_role",
                violation_error_message="Grant the right to either a user or a role, not both.",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "resource", "operation"], name="kit_right_unique"
            ),
        ]

    def __str__(self) -> str:
        holder = f"role {self.role}" if self.role else f"user {self.user}"
        return f"{self.permission} for {holder}"

    @property
    def permission(self) -> str:
        return f"{self.resource}:{self.operation}"

    def clean(self) -> None:
        """Role rights are unique too (databases let NULL users repeat, so check it here)."""
        super().clean()
        if self.role and self.user_id is None:
            duplicates = Right.objects.filter(
                user__isnull=True, role=self.role, resource=self.resource, operation=self.operation
            ).exclude(pk=self.pk)
            if duplicates.exists():
                raise ValidationError("This role already holds this right.")
