"""Serializers whose string fields take strings only: ``Serializer`` and ``ModelSerializer``.

DRF's ``CharField`` (and ``EmailField``, ``SlugField``, ``URLField``, ``RegexField``, ...) turns a
JSON number into its text: ``{"name": 0}`` is saved as ``"0"``, although the OpenAPI document
says the field is a string. The kit's serializers refuse a number there (400 ``validation_error``,
code ``invalid``), so that input and document agree; every other field behaves as in DRF. Views
that generate their serializer from a model use them; declare yours on them too:

.. code-block:: python

    from kit import serializers

    class ItemSerializer(serializers.ModelSerializer): ...
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.fields import CharField

NOT_A_STRING = str(CharField.default_error_messages["invalid"])


class StrictStringsMixin:
    """Refuse numbers (and any non-string) given for the writable string fields of the serializer."""

    fields: Any

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
    """DRF's ``ModelSerializer`` whose string fields take strings only."""
