"""Content negotiation: an unknown ``?format=`` answers 406 ``not_acceptable``, not 404.

DRF's ``DefaultContentNegotiation`` raises ``Http404`` when the format a client names in the query
string (or a URL suffix) matches no renderer of the view, which reads as "no such resource". The
resource exists; the representation asked for does not: that is 406, like an unsatisfiable
``Accept`` header.

A request that names no format and accepts anything (no ``Accept`` header, ``*/*``) or exactly the
first renderer's media type gets the first renderer without DRF's parsing of the header, as DRF
would choose it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with 406 for a format no renderer of the view offers."""

    def select_renderer(
        self, request: Any, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        if not isinstance(renderers, list):
            renderers = list(renderers)
        if renderers and not format_suffix:
            django_request = getattr(request, "_request", request)  # DRF's Request reads META from it
            first, accept = renderers[0], django_request.META.get("HTTP_ACCEPT", "*/*")
            if accept in ("*/*", first.media_type) and not self.names_format(request, django_request):
                return first, first.media_type
        return super().select_renderer(request, renderers, format_suffix)

    def names_format(self, request: Any, django_request: HttpRequest | None = None) -> bool:
        """Whether the query string names a format (``?format=csv``).

        A request whose query string is empty names none: its ``GET`` is not parsed for this
        (it is when something set or read it already). ``django_request`` is the Django request
        under DRF's ``request``, when the caller has it at hand.
        """
        if django_request is None:
            django_request = getattr(request, "_request", request)
        if "GET" not in vars(django_request) and not django_request.META.get("QUERY_STRING"):
            return False
        return self.settings.URL_FORMAT_OVERRIDE in request.query_params

    def filter_renderers(self, renderers: Iterable[BaseRenderer], format: str) -> list[BaseRenderer]:
        renderers = list(renderers)
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            offered = ", ".join(sorted({str(renderer.format) for renderer in renderers}))
            raise NotAcceptable(f"Unknown format {format!r}; this endpoint offers: {offered}.")
        return matching
