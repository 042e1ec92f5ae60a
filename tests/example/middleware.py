"""A project's own middleware, after the kit's (tests/project/settings.py).

On demand (the ``X-Test-Middleware`` header) it does what real middleware does and can fail at:
``database`` reads the database, ``user`` loads the session's user, ``crash`` raises, ``not-found``
raises ``Http404``.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponseBase

from tests.example.models import Item


class ProjectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        action = request.headers.get("X-Test-Middleware")
        if action == "database":
            Item.objects.exists()
        elif action == "user":
            request.user.is_authenticated  # the session and the user are loaded
        elif action == "crash":
            raise ValueError("middleware boom")
        elif action == "not-found":
            raise Http404("Not here, says the middleware.")
        return self.get_response(request)
