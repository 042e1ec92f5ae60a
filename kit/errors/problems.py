"""RFC 9457 problem details for every error: the DRF exception handler and its building blocks.

An exception goes through :class:`ProblemHandler` in small steps, each overridable in a subclass
(set ``KIT["PROBLEM_HANDLER_CLASS"]``):

1. ``to_problem(exc)``: turn the exception into a :class:`kit.errors.exceptions.Problem`
   (DRF exceptions, Django's ``Http404``/``PermissionDenied``/``ValidationError``, database errors:
   only connection-level failures are outages (503), see :func:`is_connection_failure`,
   classes registered with :func:`kit.errors.exceptions.register_problem`, anything else as a 500);
2. ``report(problem)``: log what operators must see (every 5xx, announced once with Django's
   ``got_request_exception``; a database outage logs its traceback once, then one line a request);
3. ``body(problem)``: the JSON members (``type``, ``title``, ``status``, ``detail``, ``instance``,
   ``code``, ``request_id``, and ``errors`` for validation problems).

:func:`exception_handler` is DRF's ``EXCEPTION_HANDLER``; :func:`problem_response` answers a
problem outside DRF (Django error views, middleware).
"""

from __future__ import annotations

import logging
import math
import traceback
from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.backends.signals import connection_created
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from kit.api.renderers import ProblemJSONRenderer, dumps
from kit.conf import kit_settings
from kit.errors.exceptions import Problem, registered_problem
from kit.request_id import get_request_id

logger = logging.getLogger("kit.problems")

PROBLEM_CONTENT_TYPE = "application/problem+json"

DRF_CODES: dict[type[drf.APIException], str] = {
    drf.ValidationError: "validation_error",
    drf.ParseError: "parse_error",
    drf.NotAuthenticated: "unauthenticated",
    drf.AuthenticationFailed: "unauthenticated",
    drf.PermissionDenied: "forbidden",
    drf.NotFound: "not_found",
    drf.MethodNotAllowed: "method_not_allowed",
    drf.NotAcceptable: "not_acceptable",
    drf.UnsupportedMediaType: "unsupported_media_type",
    drf.Throttled: "throttled",
}
"""The kit's code for each DRF exception class (subclasses included)."""

SQLSTATE_UNIQUE_VIOLATION = "23505"
MYSQL_DUPLICATE_KEY_ERRORS = frozenset({1062, 1169, 1586})
SQLITE_UNIQUE_ERRORS = frozenset({"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"})


def problem_type(code: str) -> str:
    """The ``type`` URI of a problem code: ``KIT["PROBLEM_TYPE_BASE_URL"]`` + code, or about:blank."""
    base = kit_settings.PROBLEM_TYPE_BASE_URL
    return f"{base}{code}" if base else "about:blank"


class ProblemHandler:
    """Turns one exception raised while serving ``request`` into a problem, step by step."""

    def __init__(self, exc: BaseException, request: HttpRequest | None) -> None:
        self.exc = exc
        self.request = request

    def run(self) -> Problem:
        """Convert the exception and report it; the result feeds :meth:`body`."""
        problem = self.to_problem(self.exc)
        self.report(problem)
        return problem

    # Step 1: convert.
    def to_problem(self, exc: BaseException) -> Problem:
        if isinstance(exc, Problem):
            return exc
        registered = registered_problem(exc)
        if registered is not None:
            return registered
        if isinstance(exc, drf.APIException):
            return self.api_exception_problem(exc)
        if isinstance(exc, Http404):
            return Problem(404, "not_found", _message(exc, drf.NotFound.default_detail))
        if isinstance(exc, PermissionDenied):
            return Problem(403, "forbidden", _message(exc, drf.PermissionDenied.default_detail))
        if isinstance(exc, DjangoValidationError):
            return self.validation_problem(as_serializer_error(exc))
        if isinstance(exc, RequestDataTooBig):
            return Problem(413, "payload_too_large", "The request body is too large.")
        if isinstance(exc, SuspiciousOperation | BadRequest):
            return Problem(400, "bad_request", "The request is malformed.")
        if isinstance(exc, IntegrityError):
            return self.integrity_problem(exc)
        if is_connection_failure(exc):
            return Problem(503, "service_unavailable", "The database is unavailable; try again later.")
        return Problem(500, "server_error", "An unexpected error occurred.")

    def api_exception_problem(self, exc: drf.APIException) -> Problem:
        """DRF exceptions keep their status, headers and messages; codes follow :data:`DRF_CODES`."""
        if isinstance(exc, drf.ValidationError):
            return self.validation_problem(exc.detail)
        code = next((code for cls, code in DRF_CODES.items() if isinstance(exc, cls)), None)
        if code is None:
            code = _error_code(exc.detail) or exc.default_code
            if code == drf.APIException.default_code:
                code = "server_error" if exc.status_code >= 500 else "bad_request"
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = str(exc.auth_header)  # type: ignore[attr-defined]
        wait = getattr(exc, "wait", None)
        if wait is not None:
            headers["Retry-After"] = str(math.ceil(wait))
        return Problem(exc.status_code, code, _detail_text(exc.detail), headers=headers)

    def validation_problem(self, detail: Any) -> Problem:
        """400 ``validation_error`` with one ``errors`` entry per problem (nested fields dotted)."""
        errors = list(validation_errors(detail))
        attrs = list(dict.fromkeys(error["attr"] for error in errors if error["attr"]))
        if attrs:
            message = f"Invalid input in: {', '.join(attrs)}."
        else:
            message = errors[0]["detail"] if errors else "Invalid input."
        return Problem(400, "validation_error", message, errors=errors)

    def integrity_problem(self, exc: IntegrityError) -> Problem:
        """409 ``conflict``: the write breaks a unique (or other integrity) constraint."""
        if is_unique_violation(exc):
            detail = "A resource with the same unique values already exists."
        else:
            detail = "The request conflicts with the current state of related data."
        return Problem(409, "conflict", detail)

    # Step 2: report.
    def report(self, problem: Problem) -> None:
        """Log what operators must see; 4xx are Django's to log.

        Every 5xx answered for an exception is logged on ``kit.problems`` and announced once with
        Django's ``got_request_exception`` signal, as Django does for uncaught exceptions (error
        trackers, test clients and Django's logging listen). A database outage logs one line a
        request and its traceback once (:func:`report_outage`).
        """
        if isinstance(self.exc, IntegrityError):
            logger.warning("Conflict (request %s): %s", get_request_id(), self.exc)
            return
        if problem.status_code < 500 or problem is self.exc:
            return
        method = getattr(self.request, "method", "-")
        path = getattr(self.request, "path", "-")
        if problem.code == "service_unavailable" and is_connection_failure(self.exc):
            report_outage(self.exc, f"{method} {path}")
        else:
            logger.error(
                "%s (request %s): %s %s", problem.title, get_request_id(), method, path, exc_info=self.exc
            )
        if self.request is not None:
            request = getattr(self.request, "_request", self.request)  # the HttpRequest under DRF's
            got_request_exception.send(sender=type(self), request=request)

    # Step 3: the body.
    def body(self, problem: Problem) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": problem.type or problem_type(problem.code),
            "title": problem.title,
            "status": problem.status_code,
            "detail": _detail_text(problem.detail),
            "instance": getattr(self.request, "path", None),
            "code": problem.code,
            "request_id": get_request_id(),
        }
        for name, value in problem.extensions.items():
            body.setdefault(name, value)
        if problem.errors:
            body["errors"] = problem.errors
        if settings.DEBUG and problem.code == "server_error" and problem is not self.exc:
            body["traceback"] = "".join(traceback.format_exception(self.exc))
        return body


def get_handler(exc: BaseException, request: HttpRequest | None) -> ProblemHandler:
    """An instance of the configured handler class (``KIT["PROBLEM_HANDLER_CLASS"]``)."""
    handler_class: type[ProblemHandler] = kit_settings.PROBLEM_HANDLER_CLASS
    return handler_class(exc, request)


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response:
    """DRF's ``EXCEPTION_HANDLER``: every exception of an API view becomes a problem response."""
    request = context.get("request")
    handler = get_handler(exc, request)
    problem = handler.run()
    set_rollback()
    if request is not None:
        # Problems are always JSON, whatever renderer the client negotiated (CSV, ...).
        request.accepted_renderer = ProblemJSONRenderer()
        request.accepted_media_type = PROBLEM_CONTENT_TYPE
    return Response(
        handler.body(problem),
        status=problem.status_code,
        headers=problem.headers,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def problem_response(exc: BaseException, request: HttpRequest | None) -> HttpResponse:
    """A plain Django problem response for ``exc`` (outside DRF views)."""
    handler = get_handler(exc, request)
    problem = handler.run()
    content = dumps(handler.body(problem))
    headers = {**problem.headers, "Content-Length": str(len(content))}
    return HttpResponse(
        content, status=problem.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE
    )


def is_problem_response(response: Any) -> bool:
    """Whether ``response`` already carries a problem body."""
    return str(response.get("Content-Type", "")).startswith(PROBLEM_CONTENT_TYPE)


def validation_errors(detail: Any, path: tuple[str, ...] = ()) -> Iterator[dict[str, Any]]:
    """Yield ``{"attr", "code", "detail", "pointer"}`` for each message in DRF's error structure.

    Nested serializers give dotted ``attr`` (``address.city``, ``items.0.name``) and JSON pointers
    (``#/address/city``); non-field errors have ``attr`` null and point at their object.
    """
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            key = str(key)
            inner = path if key in (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS) else (*path, key)
            yield from validation_errors(value, inner)
    elif isinstance(detail, list | tuple):
        for index, value in enumerate(detail):
            nested = isinstance(value, Mapping | list | tuple)
            yield from validation_errors(value, (*path, str(index)) if nested else path)
    else:
        yield {
            "attr": ".".join(path) or None,
            "code": getattr(detail, "code", None) or "invalid",
            "detail": str(detail),
            "pointer": "#" + "".join("/" + _escape_pointer(part) for part in path),
        }


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether the driver error behind ``exc`` is a unique-constraint violation."""
    cause = exc.__cause__
    args: tuple[Any, ...] = getattr(cause, "args", ())
    if args and isinstance(args[0], int):  # MySQL drivers: (errno, message)
        return args[0] in MYSQL_DUPLICATE_KEY_ERRORS
    sqlite_error = getattr(cause, "sqlite_errorname", None)
    if sqlite_error:
        return sqlite_error in SQLITE_UNIQUE_ERRORS
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)  # psycopg 3 / 2
    return sqlstate == SQLSTATE_UNIQUE_VIOLATION


POSTGRESQL_CONNECTION_SQLSTATES = ("08", "53300", "57P01", "57P02", "57P03")
"""SQLSTATEs (or classes) of a server that cannot be used: connection exceptions (class 08), too many
connections, the server shutting down, crashing or starting up."""
MYSQL_CONNECTION_ERRORS = frozenset(
    {1040, 1053, 1077, 1079, 1152, 1158, 1159, 1160, 1161, 1927, 2002, 2003, 2005, 2006, 2013, 2055, 4031}
)
"""MySQL/MariaDB error numbers of a server that cannot be used: too many connections, shutdown,
aborted or killed connections, network errors, can't connect, server gone away, lost connection."""
SQLITE_CONNECTION_ERRORS = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL")
"""SQLite result codes (and their extended codes) of a database file that cannot be used now."""


def is_connection_failure(exc: BaseException) -> bool:
    """Whether ``exc`` means the database cannot be reached or used (an outage), not a bug.

    Django's ``InterfaceError`` (a closed connection) always is; an ``OperationalError`` is when its
    driver error says so: psycopg without a SQLSTATE (a client-side connection failure) or with one
    of :data:`POSTGRESQL_CONNECTION_SQLSTATES`, a MySQL/MariaDB error in
    :data:`MYSQL_CONNECTION_ERRORS`, a SQLite error in :data:`SQLITE_CONNECTION_ERRORS`. Anything
    else (an unknown column on MariaDB or SQLite, a deadlock, a statement timeout) is a bug or a
    load problem to report as a 500.
    """
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    args: tuple[Any, ...] = getattr(cause, "args", ())
    if args and isinstance(args[0], int):  # MySQL drivers: (errno, message)
        return args[0] in MYSQL_CONNECTION_ERRORS
    sqlite_error = getattr(cause, "sqlite_errorname", None)
    if sqlite_error:
        return sqlite_error.startswith(SQLITE_CONNECTION_ERRORS)
    if type(cause).__module__.startswith("psycopg"):  # psycopg 3 and psycopg2
        sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)  # psycopg 3 / 2
        return sqlstate is None or sqlstate.startswith(POSTGRESQL_CONNECTION_SQLSTATES)
    return False


_outage_logged = False


def report_outage(exc: BaseException, request_line: str) -> None:
    """Log a request failed by a database outage: one line, with the traceback once per outage.

    The outage ends (and the next failure logs its traceback again) when this process opens a
    database connection again (Django's ``connection_created`` signal).
    """
    global _outage_logged
    first, _outage_logged = not _outage_logged, True
    logger.error(
        "Database unavailable (request %s): %s: %s: %s",
        get_request_id(),
        request_line,
        type(exc.__cause__ or exc).__name__,
        str(exc).strip().replace("\n", " "),
        exc_info=exc if first else None,
    )


def _database_back(**kwargs: Any) -> None:
    global _outage_logged
    _outage_logged = False


connection_created.connect(_database_back, dispatch_uid="kit.errors.problems.database_back")


def _escape_pointer(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _message(exc: BaseException, default: Any) -> str:
    """The exception's own message when it has a plain one (Django's 404s carry dicts)."""
    if exc.args and isinstance(exc.args[0], str) and exc.args[0]:
        return exc.args[0]
    return str(default)


def _detail_text(detail: Any) -> str:
    """One human-readable sentence from a DRF detail (a string, a list or a dict of them)."""
    if isinstance(detail, Mapping):
        if "detail" in detail:
            return _detail_text(detail["detail"])
        return "; ".join(_detail_text(value) for value in detail.values())
    if isinstance(detail, list | tuple):
        return "; ".join(_detail_text(value) for value in detail)
    return str(detail)


def _error_code(detail: Any) -> str | None:
    """The code of a custom APIException's detail (``APIException(detail, code="x")``)."""
    code = getattr(detail, "code", None)
    return str(code) if code else None
