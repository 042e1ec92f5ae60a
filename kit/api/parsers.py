"""Request body parsers: DRF's, with every malformed body answered 400 ``parse_error``.

DRF's ``JSONParser`` turns a ``ValueError`` from the decoder into ``ParseError`` but lets
``RecursionError`` through: a body nested deeper than Python's recursion limit (``[[[[...]]]]``,
1,000 levels, a few kilobytes) would answer 500. The kit's parser answers it as malformed.

Django's multipart parser skips what it cannot read (a part without a name, text between
boundaries): a body of nothing but such bytes would pass as an empty form, a valid ``PATCH {}``.
The kit's ``MultiPartParser`` answers it as malformed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.utils.http import parse_header_parameters
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a document nested too deeply is a ``parse_error``, not a crash."""

    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None


#: Bytes an empty multipart form may hold besides its boundary: ``--``, ``--`` and line ends.
EMPTY_FORM_OVERHEAD = 8


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser; a body holding bytes but no readable part is a ``parse_error``."""

    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        result = super().parse(stream, media_type, parser_context)
        if (
            not result.data
            and not result.files
            and _holds_more_than_an_empty_form(media_type, parser_context)
        ):
            raise ParseError("Multipart form parse error - the body holds no well-formed part.")
        return result


def _holds_more_than_an_empty_form(media_type: str | None, parser_context: Mapping[str, Any] | None) -> bool:
    request = (parser_context or {}).get("request")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
    except ValueError:
        return False
    boundary = parse_header_parameters(media_type or "")[1].get("boundary", "")
    return length > len(boundary) + EMPTY_FORM_OVERHEAD
