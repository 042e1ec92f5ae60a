"""Problem exceptions: raise them anywhere in a request to answer an RFC 9457 problem response.

The exception handler (``kit.errors.problems``) turns every error into a problem body with ``type``,
``title``, ``status``, ``detail``, ``instance``, ``code`` and ``request_id``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, NoReturn, TypeVar, overload

from rest_framework.exceptions import APIException

TITLES: dict[str, str] = {
    "bad_request": "Bad request",
    "validation_error": "Invalid input",
    "parse_error": "Malformed request body",
    "invalid_filter": "Invalid filter",
    "invalid_message": "Invalid message",
    "export_too_large": "Export too large",
    "unauthenticated": "Authentication required",
    "forbidden": "Forbidden",
    "not_found": "Not found",
    "method_not_allowed": "Method not allowed",
    "not_acceptable": "Not acceptable",
    "conflict": "Conflict",
    "length_required": "Length required",
    "payload_too_large": "Payload too large",
    "uri_too_long": "URI too long",
    "unsupported_media_type": "Unsupported media type",
    "throttled": "Too many requests",
    "server_error": "Internal server error",
    "unhealthy": "Unhealthy",
    "service_unavailable": "Service unavailable",
    "bad_gateway": "Bad gateway",
    "gateway_timeout": "Gateway timeout",
}
"""The title of each problem type the kit answers (a title never changes between occurrences)."""

DEFAULT_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}
"""The code :func:`abort` uses for a status when none is given."""


def default_code(status: int) -> str:
    """The kit's code for ``status``, else the snake_case HTTP phrase (``402`` -> ``payment_required``)."""
    if status in DEFAULT_CODES:
        return DEFAULT_CODES[status]
    phrase = HTTPStatus(status).phrase.lower()
    return "".join(char if char.isalnum() else "_" for char in phrase).strip("_")


class Problem(APIException):
    """An error answered as a problem response with a stable machine ``code``.

    ``errors`` is the list of per-field problems (``{"attr", "code", "detail", "pointer"}``);
    ``headers`` are added to the response (e.g. ``Retry-After``); ``extensions`` are extra members
    of the body (``{"upstream": "users"}``), never replacing the standard ones.
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
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        phrase = HTTPStatus(status).phrase
        super().__init__(detail=detail or phrase, code=code)
        self.status_code = status
        self.code = code
        self.title = title or TITLES.get(code, phrase)
        self.type = type
        self.errors = list(errors or [])
        self.headers = dict(headers or {})
        self.extensions = dict(extensions or {})


class InvalidFilter(Problem):
    """400 ``invalid_filter``: an unknown or malformed query parameter."""

    def __init__(self, detail: str, *, errors: Sequence[Mapping[str, Any]] | None = None) -> None:
        super().__init__(400, "invalid_filter", detail, errors=errors)


def abort(status: int, code: str | None = None, detail: str | None = None, **kwargs: Any) -> NoReturn:
    """Stop the request with a problem response."""
    raise Problem(status, code or default_code(status), detail, **kwargs)


@dataclass(frozen=True)
class ProblemMapping:
    """How a registered exception class is answered (see :func:`register_problem`)."""

    status: int
    code: str
    title: str | None = None
    detail: str | None = None

    def problem_for(self, exc: BaseException) -> Problem:
        """The problem for ``exc``: its message is the ``detail``, else the registered one."""
        return Problem(self.status, self.code, str(exc) or self.detail, title=self.title)


_registry: dict[type[BaseException], ProblemMapping] = {}
E = TypeVar("E", bound=type[BaseException])


@overload
def register_problem(
    exc_class: E, /, *, status: int, code: str, title: str | None = ..., detail: str | None = ...
) -> E: ...
@overload
def register_problem(
    exc_class: None = ..., /, *, status: int, code: str, title: str | None = ..., detail: str | None = ...
) -> Callable[[E], E]: ...
def register_problem(
    exc_class: E | None = None,
    /,
    *,
    status: int,
    code: str,
    title: str | None = None,
    detail: str | None = None,
) -> E | Callable[[E], E]:
    """Answer the project's exception class (and its subclasses) with a problem.

    Call it with the class, or use it as a class decorator::

        @register_problem(status=409, code="out_of_stock")
        class OutOfStock(Exception): ...

    The exception's message (``str(exc)``) becomes the problem's ``detail`` (else ``detail``).
    """
    mapping = ProblemMapping(status, code, title, detail)

    def register(cls: E) -> E:
        _registry[cls] = mapping
        return cls

    return register(exc_class) if exc_class is not None else register


def registered_problem(exc: BaseException) -> Problem | None:
    """The problem registered for the class of ``exc`` (or its nearest base class), if any."""
    for cls in type(exc).__mro__:
        mapping = _registry.get(cls)
        if mapping is not None:
            return mapping.problem_for(exc)
    return None
