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

Both are plain calls on a synchronous request (no ``process_request``/``process_response`` hooks
looked up and called: one call per request instead of four); under ASGI they are Django's own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty


class OnFirstUse(SimpleLazyObject):
    """Django's ``SimpleLazyObject``, made in one call.

    Django's ``__init__`` sets the object's two attributes through ``LazyObject``'s
    ``__getattribute__`` and ``__setattr__`` hooks (five Python calls); this one writes them
    directly. The object is the same: it is built by ``func`` on first use, and copies, pickles and
    compares as Django's.
    """

    def __init__(self, func: Callable[[], Any]) -> None:
        state = object.__getattribute__(self, "__dict__")
        state["_setupfunc"] = func
        state["_wrapped"] = empty


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's ``SessionMiddleware``; without a session cookie the store is made on first use."""

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return super().__call__(request)  # Django's handling (a cookie is renewed or deleted)
        session = request.session = OnFirstUse(partial(self.SessionStore, None))  # type: ignore[assignment]
        response: HttpResponse = self.get_response(request)  # type: ignore[assignment]  # synchronous
        if session._wrapped is empty:
            return response  # no cookie came, nothing was read or written: no cookie, no Vary
        return self.process_response(request, response)


class MessageMiddleware(DjangoMessageMiddleware):
    """Django's ``MessageMiddleware``; the storage (``MESSAGE_STORAGE``) is made on first use."""

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return super().__call__(request)
        messages = request._messages = OnFirstUse(partial(default_storage, request))  # type: ignore[attr-defined]
        response: HttpResponse = self.get_response(request)  # type: ignore[assignment]  # synchronous
        if messages._wrapped is empty:
            return response  # nothing was added or read: Django's storage would store nothing
        return self.process_response(request, response)
