"""The kit's middleware: request ids, the access log, the body size limit, problems for Django errors.

Order in ``MIDDLEWARE`` (as in ``kit.conf.base``): ``RequestIDMiddleware`` first (so every log
line and every response, errors included, carries the id), then ``AccessLogMiddleware`` (it sees
the final status), then, after CORS, ``BodySizeLimitMiddleware`` and ``ProblemMiddleware``.
"""

from __future__ import annotations

import io
import logging
import math
import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream, WSGIRequest
from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed
from django.utils.functional import empty
from django.utils.log import log_response
from django.utils.module_loading import import_string
from django.views.debug import ExceptionReporter

from kit.conf import kit_settings
from kit.errors.exceptions import Problem
from kit.errors.handlers import wants_html
from kit.errors.problems import is_problem_response, problem_response
from kit.request_id import VALID_REQUEST_ID, new_request_id, request_id_var

GetResponse = Callable[[HttpRequest], HttpResponseBase]

access_logger = logging.getLogger("kit.access")


class RequestIDMiddleware:
    """Take the client's ``X-Request-ID`` when well-formed (else a new uuid4 hex) and echo it.

    The id is in :func:`kit.request_id.get_request_id` and ``request.request_id`` while the
    request is served. The header name is ``KIT["REQUEST_ID_HEADER"]``.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.header = kit_settings.REQUEST_ID_HEADER
        self.meta_key = "HTTP_" + self.header.upper().replace("-", "_")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request.META.get(self.meta_key)
        if not request_id or not VALID_REQUEST_ID.fullmatch(request_id):
            request_id = new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
            if response.status_code >= 400:
                # Django's own "Not Found: /path" line comes after the middleware, without the id.
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,  # type: ignore[arg-type]  # the stubs say HttpResponse; any is read
                    request=request,
                )
        finally:
            request_id_var.reset(token)
        response.headers[self.header] = request_id
        return response


class AccessLogMiddleware:
    """One line per request on the ``kit.access`` logger (level INFO).

    ``GET /api/v1/items 200 3.1ms user=42 request_id=...``; the values are also on the record as
    ``method``, ``path``, ``status``, ``duration_ms``, ``user`` (structured log formatters).
    Nothing is computed when the logger is off.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not access_logger.isEnabledFor(logging.INFO):
            return self.get_response(request)
        start = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - start) * 1000, 1)
        user = user_label(request)
        access_logger.info(
            "%s %s %s %.1fms user=%s request_id=%s",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            user,
            request_id_var.get() or "-",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user": user,
            },
        )
        return response


def user_label(request: HttpRequest) -> str:
    """The user's primary key, or ``-`` when anonymous or never looked up (no query is made)."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty or not user.is_authenticated:
        return "-"
    return str(user.pk if user.pk is not None else user.get_username())


class BodySizeLimitMiddleware:
    """413 ``payload_too_large`` for a body over ``KIT["MAX_REQUEST_BODY_SIZE"]`` bytes.

    Checked from ``Content-Length`` before anything reads the body. A body sent without one
    (``Transfer-Encoding: chunked``) is read here, at most one byte over the limit, and handed on
    with its length, so Django and DRF read it (Django alone would see an empty body).
    ``None`` turns the limit off. A chunked body the server cannot decode (Django's ``runserver``)
    is answered 411 ``length_required``, never dropped.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if may_have_body(request):
            refusal = self.refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponseBase | None:
        """The 411 or 413 problem for the request's body, or ``None`` when it may be read."""
        if is_undecoded_chunked_body(request):
            detail = "This server cannot read a chunked request body: send it with Content-Length."
            return problem_response(Problem(411, "length_required", detail), request)
        limit = kit_settings.MAX_REQUEST_BODY_SIZE
        if body_size(request, limit) > (limit if limit is not None else math.inf):
            problem = Problem(413, "payload_too_large", f"The request body is larger than {limit} bytes.")
            return problem_response(problem, request)
        return None


def may_have_body(request: HttpRequest) -> bool:
    """Whether the request may carry a body: ``False`` only for a WSGI request that declares no
    length and no ``Transfer-Encoding`` (Django reads nothing from such a request's input)."""
    meta = request.META
    declared = bool(meta.get("CONTENT_LENGTH")) or "HTTP_TRANSFER_ENCODING" in meta
    return declared or not isinstance(request, WSGIRequest)


def is_undecoded_chunked_body(request: HttpRequest) -> bool:
    """Whether a chunked body reaches Django undecoded: a WSGI server that decodes it (gunicorn)
    says so with ``wsgi.input_terminated`` (PEP 3333's extension); Django's ``runserver`` does not,
    and hands Django an empty stream."""
    environ = getattr(request, "environ", None)
    if not environ or "chunked" not in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        return False
    return not environ.get("wsgi.input_terminated")


def body_size(request: HttpRequest, limit: int | None = None) -> int:
    """The size of the request body: its ``Content-Length``, else that of a body sent without one.

    A body without ``Content-Length`` gets one (``CONTENT_LENGTH`` in ``request.META``): Django's
    form parsing and DRF read that many bytes, and nothing without it.
    """
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared:
        return declared
    size = unsized_body_size(request, limit)
    if size:
        request.META["CONTENT_LENGTH"] = str(size)
    return size


def unsized_body_size(request: HttpRequest, limit: int | None) -> int:
    """The size of a body sent without ``Content-Length``; on WSGI it is read (``limit`` + 1 bytes at most).

    On ASGI, Django has buffered the body in a spooled file. On WSGI the server decodes a chunked
    body in ``wsgi.input``, which Django does not read without a length: the body is read here
    and becomes the request's stream.
    """
    stream = getattr(request, "_stream", None)  # Django's own body stream (a spooled file on ASGI)
    if stream is not None and stream.seekable():
        size = stream.seek(0, io.SEEK_END)
        stream.seek(0)
        return size
    environ = getattr(request, "environ", None)
    if not environ or "chunked" not in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        return 0
    body = environ["wsgi.input"].read() if limit is None else environ["wsgi.input"].read(limit + 1)
    request._stream = LimitedStream(io.BytesIO(body), len(body))  # type: ignore[assignment]
    return len(body)


HANDS_EXCEPTIONS_UP = "_kit_hands_exceptions_up"
"""Set on a request while :class:`ProblemMiddleware` waits for its response."""


class HandedUp(BaseException):
    """Carries an exception raised below :class:`ProblemMiddleware` up to it (see :func:`hand_exception_up`).

    A ``BaseException``, so that Django's per-middleware ``except Exception`` lets it through.
    """

    def __init__(self, exception: Exception) -> None:
        super().__init__(exception)
        self.exception = exception


class ProblemMiddleware:
    """Problem JSON for Django-level errors outside DRF views (unless :func:`wants_html`).

    - exceptions raised by plain Django views (``Http404``, ``PermissionDenied``, database errors,
      anything else as a logged 500), whatever ``DEBUG`` is;
    - exceptions raised by the middleware after it (a project's middleware crashing or reading a
      database that is down, a ``Host`` outside ``ALLOWED_HOSTS``): :func:`hand_exception_up` and
      :class:`HandingUpReporter` bring them here, where they are answered like a view's (a 503 for
      an outage, the traceback when ``DEBUG``) and reported once;
    - unknown URLs (404) and ``HttpResponseNotAllowed`` responses (405, keeping ``Allow``).
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        setattr(request, HANDS_EXCEPTIONS_UP, True)
        sets_reporter = not hasattr(request, "exception_reporter_class")
        if sets_reporter:
            request.exception_reporter_class = HandingUpReporter
        try:
            response = self.get_response(request)
        except HandedUp as handed_up:  # raised by a middleware after this one
            return problem_response(handed_up.exception, request)
        finally:
            delattr(request, HANDS_EXCEPTIONS_UP)
            if sets_reporter:
                del request.exception_reporter_class
        if response.status_code not in (404, 405) or is_problem_response(response):
            return response
        if wants_html(request):
            return response
        if isinstance(response, HttpResponseNotAllowed):
            detail = f'Method "{request.method}" not allowed.'
            problem = Problem(405, "method_not_allowed", detail, headers={"Allow": response["Allow"]})
            return problem_response(problem, request)
        if response.status_code == 404 and request.resolver_match is None:
            return problem_response(Problem(404, "not_found", "No resource at this URL."), request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        if wants_html(request):
            return None
        return problem_response(exception, request)


def hand_exception_up(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Hand an exception Django is about to answer with a 500 page up to :class:`ProblemMiddleware`.

    Django wraps every middleware: an exception one raises becomes a response right there (its
    technical 500 page when ``DEBUG``, else ``handler500``, which never learns the exception),
    before any middleware around it can see it. Django first announces it with
    ``got_request_exception`` (sender ``None``) inside its ``except`` block: this receiver (the
    kit connects it first) raises it again there, wrapped in :class:`HandedUp`, for a request
    ``ProblemMiddleware`` is serving and that does not get HTML. It travels up, through the middleware
    in between (their response steps are skipped), to ``ProblemMiddleware``, which answers and
    reports it once, as it does for a view's exception.
    """
    if sender is not None or request is None or not getattr(request, HANDS_EXCEPTIONS_UP, False):
        return
    exception = sys.exception()
    if isinstance(exception, Exception) and not wants_html(request):
        raise HandedUp(exception)


class HandingUpReporter(ExceptionReporter):
    """``request.exception_reporter_class`` while :class:`ProblemMiddleware` serves a request.

    With ``DEBUG`` on, Django makes a reporter to render its debug page for an exception raised by
    a middleware (a 400 for ``SuspiciousOperation`` or ``BadRequest``, a 500); for a request that
    does not get HTML, the exception is handed up to ``ProblemMiddleware`` instead. Otherwise this
    is the configured ``DEFAULT_EXCEPTION_REPORTER``.
    """

    def __new__(
        cls, request: HttpRequest, exc_type: Any, exc_value: Any, tb: Any, *args: Any, **kwargs: Any
    ) -> Any:
        hands_up = request is not None and getattr(request, HANDS_EXCEPTIONS_UP, False)
        if hands_up and isinstance(exc_value, Exception) and not wants_html(request):
            raise HandedUp(exc_value)
        reporter_class = import_string(settings.DEFAULT_EXCEPTION_REPORTER)
        return reporter_class(request, exc_type, exc_value, tb, *args, **kwargs)
