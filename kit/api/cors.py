"""Per-view CORS origins on top of django-cors-headers' settings.

django-cors-headers applies ``CORS_ALLOWED_ORIGINS`` to the paths matching ``CORS_URLS_REGEX``.
A view decorated with :func:`kit.api.decorators.cors` (or with a ``cors_allowed_origins``
attribute) also accepts its own origins; this receiver of django-cors-headers'
``check_request_enabled`` signal tells the middleware so, preflight requests included.

:class:`CorsMiddleware` (in ``kit.conf.base.MIDDLEWARE``) is django-cors-headers' middleware; it
does not send the signal when this receiver is its only receiver and the request has no
``Origin``: the receiver answers ``False`` then, and the middleware would do the same as without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corsheaders.middleware import CorsMiddleware as CorsHeadersMiddleware
from corsheaders.signals import check_request_enabled
from django.http import HttpRequest
from django.urls import Resolver404, resolve

RECEIVER_UID = "kit.api.cors"
"""The ``dispatch_uid`` of :func:`view_allows_origin` on ``check_request_enabled``."""


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


class CorsMiddleware(CorsHeadersMiddleware):
    """django-cors-headers' ``CorsMiddleware``; ``check_request_enabled`` is not sent when the
    request has no ``Origin`` and :func:`view_allows_origin` is the signal's only receiver."""

    def check_signal(self, request: HttpRequest) -> bool:
        if not request.META.get("HTTP_ORIGIN"):
            receivers = check_request_enabled.receivers
            if len(receivers) == 1 and receivers[0][0][0] == RECEIVER_UID:
                return False  # what view_allows_origin answers without an Origin
        return super().check_signal(request)
