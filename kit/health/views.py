"""The probe endpoints: ``/health``, ``/health/live``, ``/health/ready`` and ``/status``.

Plain Django views (no authentication, no envelope): load balancers and orchestrators call them.
They answer fast and never with a 500: a failure is a 503 problem with code ``unhealthy``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from kit.errors.exceptions import Problem
from kit.errors.problems import PROBLEM_CONTENT_TYPE, get_handler
from kit.health.base import HealthReport
from kit.health.checks import get_checks
from kit.health.runner import run_checks
from kit.health.status import service_status

logger = logging.getLogger(__name__)

View = Callable[[HttpRequest], HttpResponse]


def probe(view: View) -> View:
    """Answer GET and HEAD only, never cache, and turn any error into a 503 problem."""

    def wrapper(request: HttpRequest) -> HttpResponse:
        response: HttpResponse
        if request.method not in ("GET", "HEAD"):
            response = problem_response(
                request, 405, "method_not_allowed", f"Method {request.method} is not allowed."
            )
            response["Allow"] = "GET, HEAD"
        else:
            try:
                response = view(request)
            except Exception:
                logger.exception("Health endpoint %s failed", request.path)
                response = problem_response(request, 503, "unhealthy", "The health checks could not run.")
        response["Cache-Control"] = "no-store"
        response["Content-Length"] = str(len(response.content))
        return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def problem_response(request: HttpRequest, status: int, code: str, detail: str, **extra: Any) -> JsonResponse:
    """The kit's problem body for ``code`` with extension members ``extra`` (e.g. ``checks``)."""
    problem = Problem(status, code, detail)
    body = {**get_handler(problem, request).body(problem), **extra}
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def unhealthy_response(request: HttpRequest, report: HealthReport) -> JsonResponse:
    """503 ``unhealthy``; an unexpected error's message is logged, and shown only when ``DEBUG``."""
    logger.warning(
        "Unhealthy: %s",
        "; ".join(
            f"{result.name}: {result.detail or result.error}" for result in report.results if not result.ok
        ),
    )
    detail = f"Failing health checks: {', '.join(report.failing)}."
    return problem_response(request, 503, "unhealthy", detail, checks=report.as_dict(details=settings.DEBUG))


@probe
def health(request: HttpRequest) -> HttpResponse:
    """The health endpoint: ``200 "healthy"`` or a 503 ``unhealthy`` problem."""
    report = run_checks(get_checks())
    if not report.ok:
        return unhealthy_response(request, report)
    return JsonResponse("healthy", safe=False)


@probe
def live(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers HTTP. No I/O."""
    return JsonResponse({"status": "ok"})


@probe
def ready(request: HttpRequest) -> HttpResponse:
    """Readiness: every dependency answers; each check's status and duration in the body."""
    report = run_checks(get_checks())
    if not report.ok:
        return unhealthy_response(request, report)
    return JsonResponse({"status": "ok", "checks": report.as_dict()})


@probe
def status(request: HttpRequest) -> HttpResponse:
    """Service name, versions, git revision, uptime and the last migration of each app."""
    return JsonResponse(service_status())
