"""Django's session, message and authentication middleware, made lazy: a request that uses none costs nothing.

Django's ``SessionMiddleware`` builds a session store for every request and its
``MessageMiddleware`` a message storage (a cookie signer and a session storage) for every request,
then both check them on the way out. A JSON API request with a bearer token uses neither. These
subclasses (in ``kit.conf.base.MIDDLEWARE`` in place of Django's) put the same objects on the
request, built on first use (``SimpleLazyObject``), and leave the response alone when they were
never used: Django's own middleware does nothing to such a response either. A request that reads
``request.session`` or ``request._messages`` (a login, the admin, ``messages.add_message``, the
messages context processor, cookie authentication) gets Django's objects and Django's handling:
``SESSION_ENGINE``, ``MESSAGE_STORAGE`` and every ``SESSION_*`` setting apply as before.

``AuthenticationMiddleware`` puts Django's lazy ``request.user`` and ``request.auser`` on the
request as Django's does, its ``SimpleLazyObject`` made in one call.

All three are plain calls on a synchronous request (no ``process_request``/``process_response`` hooks
looked up and called: one call per request instead of four); under ASGI they are Django's own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.middleware import auser, get_user
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

_new, _get_attribute = object.__new__, object.__getattribute__  # LazyObject's hooks bypassed


def on_first_use(func: Callable[[], Any]) -> tuple[SimpleLazyObject, dict[str, Any]]:
    """Django's ``SimpleLazyObject`` of ``func``, made in one call, and its state.

    Django's ``__init__`` sets the object's two attributes through ``LazyObject``'s
    ``__getattribute__`` and ``__setattr__`` hooks (five Python calls); here they are written
    directly. The object is the same (built by ``func`` on first use; copies, pickles and compares
    as Django's). Its state (the object's ``__dict__``) holds ``_wrapped``, ``empty`` until first
    use: reading it there skips the object's ``__getattribute__`` hook.
    """
    lazy = _new(SimpleLazyObject)
    state: dict[str, Any] = _get_attribute(lazy, "__dict__")
    state["_setupfunc"] = func
    state["_wrapped"] = empty
    return lazy, state


_cookie_name: str | None = None
"""``SESSION_COOKIE_NAME``, read once (a read of ``settings`` is a Python call); reset when it changes."""


def _read_cookie_name() -> str:
    global _cookie_name
    _cookie_name = settings.SESSION_COOKIE_NAME
    return _cookie_name


def _forget_cookie_name(*, setting: str, **kwargs: Any) -> None:
    global _cookie_name
    if setting == "SESSION_COOKIE_NAME":
        _cookie_name = None


setting_changed.connect(_forget_cookie_name, dispatch_uid="kit.browser_state.cookie_name")


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's ``SessionMiddleware``; without a session cookie the store is made on first use."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        super().__init__(get_response)
        self.new_store = partial(self.SessionStore, None)  # what Django makes without a cookie

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode or (_cookie_name or _read_cookie_name()) in request.COOKIES:
            return super().__call__(request)  # Django's handling (a cookie is renewed or deleted)
        request.session, session = on_first_use(self.new_store)  # type: ignore[assignment]
        response: HttpResponse = self.get_response(request)  # type: ignore[assignment]  # synchronous
        if session["_wrapped"] is empty:
            return response  # no cookie came, nothing was read or written: no cookie, no Vary
        return self.process_response(request, response)


class MessageMiddleware(DjangoMessageMiddleware):
    """Django's ``MessageMiddleware``; the storage (``MESSAGE_STORAGE``) is made on first use."""

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return super().__call__(request)
        request._messages, messages = on_first_use(partial(default_storage, request))  # type: ignore[attr-defined]
        response: HttpResponse = self.get_response(request)  # type: ignore[assignment]  # synchronous
        if messages["_wrapped"] is empty:
            return response  # nothing was added or read: Django's storage would store nothing
        return self.process_response(request, response)


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware``: the same lazy ``request.user`` (``get_user``) and
    ``request.auser``; without a session (no session middleware before it) Django's error."""

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return super().__call__(request)
        if not hasattr(request, "session"):
            self.process_request(request)  # raises ImproperlyConfigured
        request.user, _ = on_first_use(partial(get_user, request))  # type: ignore[assignment]
        request.auser = partial(auser, request)
        return self.get_response(request)
