"""Per-view CORS origins on top of django-cors-headers' settings.

django-cors-headers applies ``CORS_ALLOWED_ORIGINS`` to the paths matching ``CORS_URLS_REGEX``.
A view decorated with :func:`kit.api.decorators.cors` (or with a ``cors_allowed_origins``
attribute) also accepts its own origins; this receiver of django-cors-headers'
``check_request_enabled`` signal tells the middleware so, preflight requests included.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.urls import Resolver404, resolve


def view_allows_origin(sender: Any, request: HttpRequest, **kwargs: Any) -> bool:
    """True when the view at the request's URL allows the request's ``Origin``."""
    origin = request.META.get("HTTP_ORIGIN")
    if not origin:
        return False
    origins = view_cors_origins(request)
    return origins is not None and ("*" in origins or origin in origins)


def view_cors_origins(request: HttpRequest) -> Sequence[str] | None:
    """The ``cors_allowed_origins`` of the view serving the request's URL, if it has some."""
    match = request.resolver_match
    if match is None:  # preflights are answered before URL resolution
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
    view = match.func
    for target in (view, getattr(view, "cls", None), getattr(view, "view_class", None)):
        origins = getattr(target, "cors_allowed_origins", None)
        if origins is not None:
            return tuple(origins)
    return None
