"""``MetricsMiddleware``: counts and times every request for Prometheus (when metrics are on).

Put it right after ``RequestIDMiddleware`` in ``MIDDLEWARE`` so that it times the whole stack.
With ``KIT["METRICS_ENABLED"]`` off it removes itself at startup (``MiddlewareNotUsed``) and costs
nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponseBase

from kit.conf import kit_settings


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not kit_settings.METRICS_ENABLED:
            raise MiddlewareNotUsed
        from kit.monitoring.metrics import observe_request

        self.get_response = get_response
        self.observe = observe_request

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        start = time.perf_counter()
        response = self.get_response(request)
        duration = time.perf_counter() - start
        self.observe(request.method or "", view_label(request), response.status_code, duration)
        return response


def view_label(request: HttpRequest) -> str:
    """The URL name of the matched view (its dotted path when unnamed), ``<unmatched>`` for none."""
    match = request.resolver_match
    if match is None:
        return "<unmatched>"
    return match.view_name or match._func_path
