"""Which bodies a view parses: JSON by default (``DEFAULT_PARSER_CLASSES``), multipart for files.

A view whose body serializer has a file field (``FileField``, ``ImageField``) also parses
``multipart/form-data``, the only way to upload a file; every other view takes JSON only, and
its OpenAPI document says so.
"""

from __future__ import annotations

from functools import cache

from rest_framework import serializers
from rest_framework.parsers import BaseParser

from kit.api.parsers import MultiPartParser

MULTIPART = MultiPartParser.media_type


@cache
def takes_files(serializer_class: type[serializers.BaseSerializer]) -> bool:
    """True when a field of ``serializer_class`` is a file (checked once per class)."""
    fields = getattr(serializer_class(), "fields", {})
    return any(isinstance(field, serializers.FileField) for field in fields.values())


def with_multipart(parsers: list[BaseParser], serializer_class: type | None) -> list[BaseParser]:
    """``parsers``, plus the kit's ``MultiPartParser`` when ``serializer_class`` takes files."""
    if serializer_class is None or not takes_files(serializer_class):
        return parsers
    if any(parser.media_type == MULTIPART for parser in parsers):
        return parsers
    return [*parsers, MultiPartParser()]
