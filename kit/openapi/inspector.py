"""``SpectacularAutoSchema``: drf-spectacular's AutoSchema taught the kit's response conventions.

The implementation of :class:`kit.openapi.schema.AutoSchema` (see it for what it documents), imported
when the first schema is made. Importing it registers the kit's OpenAPI extensions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import uritemplate
from django.contrib.auth import password_validation
from drf_spectacular import openapi
from rest_framework import serializers
from rest_framework.settings import api_settings

import kit.authentication.openapi  # registers the OpenAPI extensions
import kit.filters.openapi  # noqa: F401  (registers the OpenAPI extension)
from kit.authorization.openapi import (
    operation_permissions,
    permissions_description,
    permissions_extension,
    requires_credentials,
)
from kit.openapi.components import Schema, header_ref, list_meta_ref, meta_ref, problem_response_ref
from kit.serializers.strict import PasswordField, password_min_length
from kit.views.mixins import CreateMixin

#: Keywords of a field's schema that describe the field, not one of the forms its value takes.
_FIELD_KEYWORDS = frozenset(
    {"readOnly", "writeOnly", "nullable", "deprecated", "description", "title", "default"}
)


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def decimal_input(field: serializers.DecimalField, schema: Schema, number: Schema) -> Schema:
    """A decimal field's request schema: the string it is answered as, or a number (DRF takes both)."""
    outer = {key: value for key, value in schema.items() if key in _FIELD_KEYWORDS}
    text = {key: value for key, value in schema.items() if key not in _FIELD_KEYWORDS}
    number = {"type": "number", **number}
    if field.max_whole_digits is not None:  # the digits bound the value unless min/max_value do
        bound = 10**field.max_whole_digits
        if "minimum" not in number:
            number.update(minimum=-bound, exclusiveMinimum=True)
        if "maximum" not in number:
            number.update(maximum=bound, exclusiveMaximum=True)
    if field.decimal_places is not None:
        number["multipleOf"] = float(f"1e-{field.decimal_places}")
    return {**outer, "oneOf": [text, number]}


def password_input(schema: Schema) -> Schema:
    """A password's schema: the validators' minimum length, their rules as the description."""
    minimum = max(password_min_length() or 0, schema.get("minLength", 0))
    rules = " ".join(password_validation.password_validators_help_texts())
    return {**schema, "format": "password", "minLength": minimum, **({"description": rules} if rules else {})}


class SpectacularAutoSchema(openapi.AutoSchema):
    """The base of the kit's ``DEFAULT_SCHEMA_CLASS``, ``kit.openapi.schema.AutoSchema``."""

    def get_operation(self, *args: Any, **kwargs: Any) -> Schema | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code, response in responses.items():
            headers = response.setdefault("headers", {})
            headers["X-Request-ID"] = header_ref(self.registry, "X-Request-ID")
            if code == "201":
                headers["Location"] = header_ref(self.registry, "Location")
        for code in self._problem_codes(operation):
            responses.setdefault(code, problem_response_ref(self.registry, code))
        return operation

    # Who may call it.

    def get_description(self) -> str:  # type: ignore[override]
        description = super().get_description()
        required = operation_permissions(self.view, self.method)
        if required is None:
            return description
        return "\n\n".join(part for part in (description, permissions_description(required)) if part)

    def get_extensions(self) -> Schema:
        extensions = dict(super().get_extensions())
        required = operation_permissions(self.view, self.method)
        if required is not None:
            extensions["x-required-permissions"] = permissions_extension(required)
        return extensions

    def get_auth(self) -> list[Schema]:
        auths = super().get_auth()
        if auths and {} not in auths and not requires_credentials(self.view, self.method):
            auths.append({})  # public: credentials are optional (they identify the caller)
        return auths

    # What the operation takes.

    def get_request_serializer(self) -> Any:
        return getattr(self.view, "body_serializer_class", None) or super().get_request_serializer()

    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "request" or not isinstance(schema, dict):
            return schema
        if isinstance(field, PasswordField):
            return password_input(schema)
        coerced = isinstance(field, serializers.DecimalField) and getattr(
            field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING
        )
        if not coerced or schema.get("type") != "string":
            return schema
        limits: Schema = {}
        self._insert_min_max(field, limits)  # min_value / max_value
        return decimal_input(field, schema, limits)

    def get_override_parameters(self) -> list[Any]:
        query_serializer_class = getattr(self.view, "query_serializer_class", None)
        extra = [query_serializer_class] if query_serializer_class else []
        return [*super().get_override_parameters(), *extra]

    def is_deprecated(self) -> bool:
        handler = getattr(self.view, getattr(self.view, "action", None) or self.method.lower(), None)
        return (
            any(getattr(target, "deprecated", None) for target in (self.view, handler))
            or super().is_deprecated()
        )

    def _is_create_operation(self) -> bool:
        if super()._is_create_operation():
            return True
        return (
            self.method == "POST"
            and isinstance(self.view, CreateMixin)
            and getattr(self.view, "action", "create") == "create"
        )

    # Success responses in the envelope.

    def _get_response_for_code(
        self, serializer: Any, status_code: str, media_types: Any = None, direction: str = "response"
    ) -> Schema:
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        if (
            not status_code.startswith("2")
            or "content" not in response
            or not getattr(self.view, "envelope", True)
        ):
            return response
        is_list = not isinstance(serializer, dict) and self._is_list_view(serializer)
        for media_type, media in response["content"].items():
            if _is_json(media_type) and "schema" in media:
                media["schema"] = self._envelope(media["schema"], is_list=is_list)
            elif media_type.startswith("text/"):
                media["schema"] = {"type": "string"}  # e.g. the CSV export of a list
        return response

    def _envelope(self, data: Schema, *, is_list: bool) -> Schema:
        paginator = self._get_paginator() if is_list else None
        if paginator is not None and hasattr(paginator, "get_pagination_schema"):
            meta = list_meta_ref(self.registry, paginator)
        else:
            meta = meta_ref(self.registry)
        return {"type": "object", "properties": {"data": data, "meta": meta}, "required": ["data", "meta"]}

    # Problem responses.

    def _problem_codes(self, operation: Schema) -> list[str]:
        codes = []
        takes_body = "requestBody" in operation
        takes_query = any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
        if takes_body or takes_query:
            codes.append("400")
        if requires_credentials(self.view, self.method):
            codes += ["401", "403"]
        declared = getattr(self.view, "problem_statuses", ())
        if isinstance(declared, Mapping):
            declared = declared.get(self.method, ())
        codes += [code for code in declared if code not in codes]
        if uritemplate.variables(self.path):
            codes.append("404")
        codes += ["406", "414"]
        if takes_body:
            codes += ["409", "413", "415"]
        if self.view.get_throttles():
            codes.append("429")
        codes.append("500")
        return codes
