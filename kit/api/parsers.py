"""Request body parsers: DRF's, with every malformed body answered 400 ``parse_error``.

DRF's ``JSONParser`` turns a ``ValueError`` from the decoder into ``ParseError`` but lets
``RecursionError`` through: a body nested deeper than Python's recursion limit (``[[[[...]]]]``,
1,000 levels, a few kilobytes) would answer 500. The kit's parser answers it as malformed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

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
