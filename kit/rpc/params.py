"""RPC parameters: a DRF serializer built from a function's signature, and params bound to it.

Each parameter becomes a serializer field from its type hint (``int``, ``float``, ``str``, ``bool``,
``Decimal``, ``datetime``, ``date``, ``UUID``, ``list[...]``, ``dict[...]``, ``X | None``;
anything else is any JSON value); a default makes it optional. Positional params (a JSON array,
XML-RPC's params) map onto the parameters in order, named params (a JSON object) by name; unknown
names, missing or extra params are validation errors (JSON-RPC ``-32602``).
"""

from __future__ import annotations

import datetime
import decimal
import inspect
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ValidationError

SCALAR_FIELDS: dict[Any, Callable[..., serializers.Field]] = {
    bool: serializers.BooleanField,
    int: serializers.IntegerField,
    float: serializers.FloatField,
    str: lambda **kwargs: serializers.CharField(allow_blank=True, trim_whitespace=False, **kwargs),
    decimal.Decimal: lambda **kwargs: serializers.DecimalField(
        max_digits=None, decimal_places=None, **kwargs
    ),
    datetime.datetime: serializers.DateTimeField,
    datetime.date: serializers.DateField,
    uuid.UUID: serializers.UUIDField,
}


def signature_serializer(function: Callable[..., Any], name: str) -> type[serializers.Serializer]:
    """A serializer class with one field per parameter of ``function`` (``request`` excepted)."""
    hints = typing.get_type_hints(function)
    fields: dict[str, serializers.Field] = {}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.name == "request":
            continue
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD, parameter.POSITIONAL_ONLY):
            raise TypeError(
                f"RPC method {name!r}: *args, **kwargs and positional-only parameters are not supported."
            )
        options: dict[str, Any] = {}
        if parameter.default is not parameter.empty:
            options = {"required": False, "default": parameter.default}
            if parameter.default is None:
                options["allow_null"] = True
        fields[parameter.name] = field_for(hints.get(parameter.name, Any), **options)
    class_name = "".join(part.title() for part in name.replace("_", ".").split(".")) + "Params"
    return type(class_name, (serializers.Serializer,), fields)


def field_for(hint: Any, **options: Any) -> serializers.Field:
    """The serializer field validating a value of type ``hint``."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        rest = [arg for arg in args if arg is not type(None)]
        inner = rest[0] if len(rest) == 1 else Any
        return field_for(inner, **{**options, "allow_null": True})
    if hint in SCALAR_FIELDS:
        return SCALAR_FIELDS[hint](**options)
    if origin in (list, tuple, set, frozenset) or hint in (list, tuple):
        child = field_for(args[0]) if origin is list and args else serializers.JSONField()
        return serializers.ListField(child=child, **options)
    if origin is dict or hint is dict:
        child = field_for(args[1]) if len(args) == 2 else serializers.JSONField()
        return serializers.DictField(child=child, **options)
    return serializers.JSONField(**options)


def bind_params(serializer_class: type[serializers.Serializer], params: Any) -> dict[str, Any]:
    """The validated keyword arguments for ``params`` (a list, a mapping or None).

    Raises DRF's ``ValidationError`` (the kit's ``validation_error`` problem, ``-32602``).
    """
    names = list(serializer_class().fields)
    if params is None:
        data: Mapping[str, Any] = {}
    elif isinstance(params, list | tuple):
        if len(params) > len(names):
            raise ValidationError(
                f"Expected at most {len(names)} params, got {len(params)}.", code="too_many_params"
            )
        data = dict(zip(names, params, strict=False))
    else:
        data = params
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise ValidationError({name: ["Unknown parameter."] for name in unknown}, code="unknown_param")
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
