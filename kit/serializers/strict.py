"""Serializers whose string fields take strings as sent: ``Serializer`` and ``ModelSerializer``.

DRF's ``CharField`` (and ``EmailField``, ``SlugField``, ``URLField``, ``RegexField``, ...) turns a
JSON number into its text (``{"name": 0}`` is saved as ``"0"``) and strips surrounding whitespace
before checking lengths and patterns, so it accepts what the OpenAPI document says it refuses (a
number for a string, 154 characters where ``maxLength`` is 150, ``" root"`` for a pattern without
spaces). The kit's serializers take a string field's value as sent: a number is refused (400
``validation_error``, code ``invalid``) and whitespace is kept, unless a field asks for
``trim_whitespace=True`` itself. Every other field behaves as in DRF. Views that generate their
serializer from a model use them; declare yours on them too:

.. code-block:: python

    from kit import serializers

    class ItemSerializer(serializers.ModelSerializer): ...

``PasswordField`` is a write-only password checked by Django's ``AUTH_PASSWORD_VALIDATORS``; the
OpenAPI document shows their minimum length and rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import password_validation
from django.db import models
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.fields import CharField

from kit.files import fields as upload_fields

NOT_A_STRING = str(CharField.default_error_messages["invalid"])


class StrictStringsMixin:
    """String fields take strings only, untrimmed unless the field says ``trim_whitespace=True``."""

    fields: Any

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()  # type: ignore[misc]
        for field in fields.values():
            if isinstance(field, CharField) and "trim_whitespace" not in getattr(field, "_kwargs", {}):
                field.trim_whitespace = False
        return fields

    def to_internal_value(self, data: Any) -> Any:
        errors = self._non_string_errors(data)
        try:
            value = super().to_internal_value(data)  # type: ignore[misc]
        except ValidationError as exc:
            if errors and isinstance(exc.detail, dict):
                raise ValidationError({**exc.detail, **errors}) from None
            raise
        if errors:
            raise ValidationError(errors)
        return value

    def _non_string_errors(self, data: Any) -> dict[str, list[ErrorDetail]]:
        if not isinstance(data, Mapping):
            return {}
        return {
            name: [ErrorDetail(NOT_A_STRING, code="invalid")]
            for name, field in self.fields.items()
            if isinstance(field, CharField)
            and not field.read_only
            and data.get(name) is not None
            and not isinstance(data[name], str)
        }


class Serializer(StrictStringsMixin, serializers.Serializer):
    """DRF's ``Serializer`` whose string fields take strings only."""


class ModelSerializer(StrictStringsMixin, serializers.ModelSerializer):
    """DRF's ``ModelSerializer`` whose string fields take strings only, and whose model file fields
    are the kit's upload fields (size and content-type limits, signed URLs: docs/files.md)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.FileField: upload_fields.FileField,
        models.ImageField: upload_fields.ImageField,
    }


class PasswordValidator:
    """Django's password validators, comparing with the serializer's instance (the account) if any."""

    requires_context = True

    def __call__(self, value: str, field: Any) -> None:
        password_validation.validate_password(value, getattr(field.parent, "instance", None))


class PasswordField(CharField):
    """A write-only password, taken as sent and checked by ``AUTH_PASSWORD_VALIDATORS`` (400 on failure)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("write_only", True)
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("style", {"input_type": "password"})
        super().__init__(**kwargs)
        self.validators.append(PasswordValidator())


def password_min_length() -> int | None:
    """The minimum length the configured password validators ask for (None: no such validator)."""
    lengths = [
        validator.min_length
        for validator in password_validation.get_default_password_validators()
        if isinstance(validator, password_validation.MinimumLengthValidator)
    ]
    return max(lengths, default=None)
