"""Django's session and message middleware, made lazy: a request that uses neither costs nothing.

Django's ``SessionMiddleware`` builds a session store for every request and its
``MessageMiddleware`` a message storage (a cookie signer and a session storage) for every request,
then both check them on the way out. A JSON API request with a bearer token uses neither. These
subclasses (in ``kit.conf.base.MIDDLEWARE`` in place of Django's) put the same objects on the
request, built on first use (``SimpleLazyObject``), and leave the response alone when they were
never used: Django's own middleware does nothing to such a response either. A request that reads
``request.session`` or ``request._messages`` (a login, the admin, ``messages.add_message``, the
messages context processor, cookie authentication) gets Django's objects and Django's handling:
``SESSION_ENGINE``, ``MESSAGE_STORAGE`` and every ``SESSION_*`` setting apply as before.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty


def _unused(value: Any) -> bool:
    """Whether ``value`` is one of this module's lazy objects, never evaluated."""
    return isinstance(value, SimpleLazyObject) and value._wrapped is empty


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's ``SessionMiddleware``; without a session cookie the store is made on first use."""

    def process_request(self, request: HttpRequest) -> None:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            super().process_request(request)  # Django's handling of the cookie (renewal, deletion)
            return
        request.session = SimpleLazyObject(lambda: self.SessionStore(None))  # type: ignore[assignment]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if _unused(getattr(request, "session", None)):
            return response  # no cookie came, nothing was read or written: no cookie, no Vary
        return super().process_response(request, response)


class MessageMiddleware(DjangoMessageMiddleware):
    """Django's ``MessageMiddleware``; the storage (``MESSAGE_STORAGE``) is made on first use."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if _unused(getattr(request, "_messages", None)):
            return response  # nothing was added or read: Django's storage would store nothing
        return super().process_response(request, response)
