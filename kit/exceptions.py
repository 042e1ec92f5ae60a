"""Problem exceptions: raise them anywhere in a request to answer an RFC 9457 problem response.

The exception handler (``kit.api.problems``) turns every error into a problem body with ``type``,
``title``, ``status``, ``detail``, ``instance``, ``code`` and ``request_id``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, NoReturn

from rest_framework.exceptions import APIException


class Problem(APIException):
    """An error answered as a problem response with a stable machine ``code``.

    ``errors`` is the list of per-field problems (``{"attr", "code", "detail", "pointer"}``);
    ``headers`` are added to the response (e.g. ``Retry-After``).
    """

    def __init__(
        self,
        status: int,
        code: str,
        detail: str | None = None,
        *,
        title: str | None = None,
        type: str | None = None,
        errors: Sequence[Mapping[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        phrase = HTTPStatus(status).phrase
        super().__init__(detail=detail or phrase, code=code)
        self.status_code = status
        self.code = code
        self.title = title or phrase
        self.type = type
        self.errors = list(errors or [])
        self.headers = dict(headers or {})


class InvalidFilter(Problem):
    """400 ``invalid_filter``: an unknown or malformed query parameter."""

    def __init__(self, detail: str, *, errors: Sequence[Mapping[str, Any]] | None = None) -> None:
        super().__init__(400, "invalid_filter", detail, title="Invalid filter", errors=errors)


def abort(status: int, code: str | None = None, detail: str | None = None, **kwargs: Any) -> NoReturn:
    """Stop the request with a problem response (Patera's ``abort()``)."""
    raise Problem(status, code or HTTPStatus(status).phrase.lower().replace(" ", "_"), detail, **kwargs)
