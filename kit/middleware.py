"""The kit's middleware: request ids, the access log, the body size limit, problems for Django errors.

Order in ``MIDDLEWARE`` (as in ``kit.conf.base``): ``RequestIDMiddleware`` first (so every log
line and every response, errors included, carries the id), then ``AccessLogMiddleware`` (it sees
the final status), then, after CORS, ``BodySizeLimitMiddleware`` and ``ProblemMiddleware``.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, HttpResponseNotAllowed
from django.utils.functional import empty

from kit.api.errors import wants_html
from kit.api.problems import is_problem_response, problem_response
from kit.conf import kit_settings
from kit.exceptions import Problem
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
        request_id = request.META.get(self.meta_key, "")
        if not VALID_REQUEST_ID.fullmatch(request_id):
            request_id = new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[self.header] = request_id
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

    Checked from ``Content-Length`` before anything reads the body, and from the buffered size of a
    body sent without one (chunked, on ASGI, where Django buffers the body before the middleware).
    ``None`` turns the limit off.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limit = kit_settings.MAX_REQUEST_BODY_SIZE
        if limit is not None and body_size(request) > limit:
            problem = Problem(413, "payload_too_large", f"The request body is larger than {limit} bytes.")
            return problem_response(problem, request)
        return self.get_response(request)


def body_size(request: HttpRequest) -> int:
    """The size of the request body: its ``Content-Length``, else what the server buffered."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared:
        return declared
    stream = getattr(request, "_stream", None)  # Django's own body stream (a spooled file on ASGI)
    if stream is not None and stream.seekable():
        size = stream.seek(0, io.SEEK_END)
        stream.seek(0)
        return size
    return 0


class ProblemMiddleware:
    """Problem JSON for Django-level errors outside DRF views (unless :func:`wants_html`).

    - exceptions raised by plain Django views (``Http404``, ``PermissionDenied``, database errors,
      anything else as a logged 500), whatever ``DEBUG`` is;
    - unknown URLs (404) and ``HttpResponseNotAllowed`` responses (405, keeping ``Allow``).
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
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
