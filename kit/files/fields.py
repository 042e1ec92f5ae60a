"""Serializer fields of uploads: DRF's ``FileField`` and ``ImageField`` with the kit's checks.

On input, a file over its field's size answers 413 ``payload_too_large``, a file whose bytes do not
agree with its declared type (or whose type the field does not accept) 415
``unsupported_media_type``, and its name is made safe (:func:`kit.files.uploads.safe_name`).
On output, a file is its download URL (:func:`kit.files.links.file_url`), signed and expiring.

The limits come from the field's arguments, else from the model field (``kit.files.FileField``'s
``max_size`` and ``content_types``), else from ``KIT["UPLOAD_MAX_SIZE"]`` and
``KIT["UPLOAD_CONTENT_TYPES"]``. The kit's ``ModelSerializer`` uses these fields for model file fields.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from rest_framework import serializers

from kit.conf import kit_settings
from kit.files.links import file_url
from kit.files.uploads import UploadRules, check_upload, safe_name


class UploadFieldMixin:
    """The kit's checks of an uploaded file, and its signed URL as output."""

    #: Accepted types when neither the field nor its model field names some (None: the kit's default).
    default_content_types: tuple[str, ...] | None = None
    field_name: Any
    parent: Any
    source: Any
    context: Any
    read_only: bool

    def __init__(
        self,
        *args: Any,
        max_size: int | None = None,
        content_types: Collection[str] | None = None,
        **kwargs: Any,
    ) -> None:
        self._max_size = max_size
        self._content_types = tuple(content_types) if content_types is not None else None
        super().__init__(*args, **kwargs)

    @property
    def rules(self) -> UploadRules:
        """This field's limits (its own, else its model field's, else the kit's defaults)."""
        model_field = self._model_field()
        max_size = self._max_size or getattr(model_field, "max_size", None) or kit_settings.UPLOAD_MAX_SIZE
        content_types = self._content_types
        if content_types is None:
            content_types = getattr(model_field, "content_types", None)
        if content_types is None:
            content_types = self.default_content_types or kit_settings.UPLOAD_CONTENT_TYPES
        return UploadRules(max_size=max_size, content_types=content_types)

    def to_internal_value(self, data: Any) -> Any:
        content_type = (
            check_upload(data, self.rules, self.field_name) if isinstance(data, UploadedFile) else None
        )
        file = super().to_internal_value(data)  # type: ignore[misc]
        if content_type is not None:
            file.name = safe_name(file.name, content_type)
            file.content_type = content_type
        return file

    def to_representation(self, value: Any) -> Any:
        if not value:
            return None
        if not hasattr(value, "field"):  # not a model's file (a serializer without a model)
            return super().to_representation(value)  # type: ignore[misc]
        return file_url(value, self.context.get("request"))

    def _model_field(self) -> Any:
        model = getattr(getattr(self.parent, "Meta", None), "model", None)
        if model is None or "." in self.source:
            return None
        try:
            return model._meta.get_field(self.source)
        except Exception:  # not a model field (a declared serializer field of another source)
            return None


class FileField(UploadFieldMixin, serializers.FileField):
    """DRF's ``FileField`` with size and content-type limits and signed download URLs."""


class ImageField(UploadFieldMixin, serializers.ImageField):
    """DRF's ``ImageField`` (Pillow checks the image) with size and content-type limits (``image/*``
    unless the field or its model field names others)."""

    default_content_types = ("image/*",)
