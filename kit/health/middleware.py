"""``HealthProbeMiddleware``: answers the probe endpoints before host validation and redirects.

Orchestrators probe a container by its IP address (``Host: 10.0.3.7:8888``), which is not in
``ALLOWED_HOSTS``, and over plain HTTP, which ``SECURE_SSL_REDIRECT`` would redirect. Placed before
``SecurityMiddleware`` and ``CommonMiddleware``, this middleware serves ``/health``,
``/health/live``, ``/health/ready`` and ``/metrics`` (wherever ``kit.urls`` is included) directly.
These answers carry no host-dependent content, so skipping the host check is safe.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, resolve, reverse

PROBE_URL_NAMES = ("health", "health-live", "health-ready", "metrics")


class HealthProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._paths: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        paths = self._paths
        if paths is None:
            paths = self.probe_paths()
        if request.path in paths:
            match = request.resolver_match = resolve(request.path_info)
            return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)

    def probe_paths(self) -> frozenset[str]:
        if self._paths is None:
            self._paths = frozenset(_reverse_or_none(name) or "" for name in PROBE_URL_NAMES) - {""}
        return self._paths


def _reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
