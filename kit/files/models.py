"""Model file fields with upload limits: Django's ``FileField`` and ``ImageField`` plus
``max_size`` (bytes) and ``content_types`` (patterns such as ``image/*``).

The limits apply to uploads through the kit's serializers (413 and 415 problems); Django's plain
fields work too and take the defaults ``KIT["UPLOAD_MAX_SIZE"]`` and ``KIT["UPLOAD_CONTENT_TYPES"]``.
The limits are no part of the database schema: they are left out of migrations.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import models


class UploadLimitsMixin:
    """``max_size`` and ``content_types`` on a model file field (None: the kit's defaults)."""

    def __init__(
        self,
        *args: Any,
        max_size: int | None = None,
        content_types: Collection[str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.max_size = max_size
        self.content_types = tuple(content_types) if content_types is not None else None
        super().__init__(*args, **kwargs)

    #: The Django field migrations name (they need not import the kit).
    django_path = ""

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        return name, self.django_path, args, kwargs


class FileField(UploadLimitsMixin, models.FileField):
    """Django's ``FileField`` with upload limits."""

    django_path = "django.db.models.FileField"


class ImageField(UploadLimitsMixin, models.ImageField):
    """Django's ``ImageField`` (Pillow checks the image) with upload limits."""

    django_path = "django.db.models.ImageField"
