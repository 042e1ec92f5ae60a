"""Django's error views answering problem JSON, except for the admin and for browsers.

Put them in the project's root ``urls.py`` (Django only reads them there)::

    from kit.errors.handlers import handler400, handler403, handler404, handler500  # noqa: F401

Without them, :class:`kit.middleware.ProblemMiddleware` still answers unknown URLs, 405s and
exceptions raised in views and in the middleware after it as problems; the handlers also cover
errors raised in the middleware before it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure

from kit.conf import kit_settings
from kit.errors.exceptions import Problem
from kit.errors.problems import PROBLEM_CONTENT_TYPE, problem_response

PREFERRED_TYPES = [PROBLEM_CONTENT_TYPE, "application/json", "text/html"]


def wants_html(request: HttpRequest) -> bool:
    """Whether ``request`` gets Django's HTML error pages: admin URLs, or a client preferring HTML.

    Browsers (``Accept: text/html,...,*/*;q=0.8``) prefer HTML; API clients (``application/json``,
    ``*/*`` or no ``Accept``) get problem JSON. Paths under ``KIT["API_PATH_PREFIXES"]``
    (``/api/``) always get problem JSON, so the API answers the same way whatever asks.
    """
    match = getattr(request, "resolver_match", None)
    if match is not None and "admin" in match.app_names:
        return True
    if request.path.startswith(tuple(kit_settings.API_PATH_PREFIXES)):
        return False
    return request.get_preferred_type(PREFERRED_TYPES) == "text/html"


def _problem_unless_html(
    django_view: Callable[..., HttpResponse], request: HttpRequest, exception: Exception, template_name: str
) -> HttpResponse:
    """Django's own error page for :func:`wants_html` requests, else the problem for ``exception``."""
    if wants_html(request):
        return django_view(request, exception, template_name)
    return problem_response(exception, request)


def bad_request(request: HttpRequest, exception: Exception, template_name: str = "400.html") -> HttpResponse:
    """``handler400``: ``bad_request`` (or ``payload_too_large`` for a body over Django's limit)."""
    return _problem_unless_html(defaults.bad_request, request, exception, template_name)


def permission_denied(
    request: HttpRequest, exception: Exception, template_name: str = "403.html"
) -> HttpResponse:
    """``handler403``: ``forbidden``."""
    return _problem_unless_html(defaults.permission_denied, request, exception, template_name)


def page_not_found(
    request: HttpRequest, exception: Exception, template_name: str = "404.html"
) -> HttpResponse:
    """``handler404``: ``not_found``."""
    return _problem_unless_html(defaults.page_not_found, request, exception, template_name)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: ``server_error`` (Django has already logged the traceback)."""
    if wants_html(request):
        return defaults.server_error(request, template_name)
    return problem_response(Problem(500, "server_error", "An unexpected error occurred."), request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseBase:
    """``CSRF_FAILURE_VIEW``: ``forbidden`` with the reason (for plain Django views)."""
    if wants_html(request):
        return django_csrf_failure(request, reason)
    return problem_response(PermissionDenied(f"CSRF verification failed: {reason}"), request)


handler400 = "kit.errors.handlers.bad_request"
handler403 = "kit.errors.handlers.permission_denied"
handler404 = "kit.errors.handlers.page_not_found"
handler500 = "kit.errors.handlers.server_error"
