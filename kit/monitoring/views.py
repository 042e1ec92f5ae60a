"""``/metrics``: the Prometheus exposition, behind a bearer token (``KIT["METRICS_TOKEN"]``).

404 while ``KIT["METRICS_ENABLED"]`` is off; 401 without the right ``Authorization: Bearer``.
"""

from __future__ import annotations

import hmac

from django.http import HttpRequest, HttpResponseBase

from kit.conf import kit_settings
from kit.health.views import problem_response


def metrics(request: HttpRequest) -> HttpResponseBase:
    if not kit_settings.METRICS_ENABLED:
        return problem_response(request, 404, "not_found", "No resource at this URL.")
    if not _authorized(request):
        response = problem_response(request, 401, "unauthenticated", "A valid metrics token is required.")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    from kit.monitoring.metrics import MetricsView

    return MetricsView.as_view()(request)


def _authorized(request: HttpRequest) -> bool:
    token = kit_settings.METRICS_TOKEN
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(credentials.strip(), str(token))
