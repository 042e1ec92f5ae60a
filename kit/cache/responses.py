"""Response caching and conditional GET for DRF read views.

- :func:`cache_response` (a view-method decorator) and :class:`CacheResponseMixin` keep a GET
  response's data in the cache, per caller and query string, for ``timeout`` seconds.
- :class:`ConditionalGetMixin` gives every successful GET response a weak ``ETag`` and answers
  ``304 Not Modified`` when the client's ``If-None-Match`` matches.

Both work on the response *data*, before rendering: the body of each response still carries its own
``meta.request_id``. That is also why the ETag is weak (``W/"..."``): two responses with the same
ETag hold the same data, not byte-identical bodies.

Cached responses are invalidated by generations: each view class and each model has a generation
token in the default cache, and a cached response is found only under the tokens current when it
was stored. :func:`invalidate_responses` replaces the tokens of models or views (every process
sees it through the shared cache); the kit's views call it once a write (a successful POST, PUT,
PATCH or DELETE) is committed, for the view and its model.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db.models import Model
from django.http import HttpResponseBase, HttpResponseNotModified
from django.utils.http import parse_etags
from django.utils.translation import get_language
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

SAFE_METHODS = ("GET", "HEAD")
GENERATION_PREFIX = "kit:response-generation:"
NOT_MODIFIED_HEADERS = ("ETag", "Cache-Control", "Vary", "Expires", "Content-Location")

Handler = TypeVar("Handler", bound=Callable[..., HttpResponseBase])


def cache_response(
    timeout: float | None = DEFAULT_TIMEOUT, *, using: str = DEFAULT_CACHE_ALIAS
) -> Callable[[Handler], Handler]:
    """Cache what a DRF view method (``get``, ``list``, ``retrieve``) answers to GET requests.

    The cache key varies on the view, the caller (authenticated account or anonymous), the path,
    the query string, the negotiated media type and the language. Only 200 responses are cached.
    """

    def decorate(method: Handler) -> Handler:
        @wraps(method)
        def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return serve_cached(view, request, lambda: method(view, request, *args, **kwargs), timeout, using)

        return wrapper  # type: ignore[return-value]

    return decorate


class CacheResponseMixin:
    """Cache the view's GET responses for ``cache_timeout`` seconds (``cache_alias`` cache)."""

    cache_timeout: float | None = 60
    cache_alias: str = DEFAULT_CACHE_ALIAS

    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        handler = super().get  # type: ignore[misc]
        return serve_cached(
            self, request, lambda: handler(request, *args, **kwargs), self.cache_timeout, self.cache_alias
        )


def serve_cached(
    view: Any, request: Request, respond: Callable[[], HttpResponseBase], timeout: float | None, using: str
) -> HttpResponseBase:
    """The cached response to ``request``, else ``respond()``, cached when it is a 200 DRF response."""
    if request.method not in SAFE_METHODS:
        return respond()
    generations = current_generations(response_dependencies(view))
    if generations is None:  # the cache is unreachable: nothing cached can be trusted
        return respond()
    cache = caches[using]
    key = response_cache_key(view, request, generations)
    cached = cache.get(key)
    if cached is not None:
        hit = Response(cached["data"], status=cached["status"], headers=cached["headers"])
        if cached["meta"] is not None:
            hit.meta = cached["meta"]  # type: ignore[attr-defined]
        return hit
    response = respond()
    if isinstance(response, Response) and response.status_code == 200 and not response.exception:
        entry = {
            "data": response.data,
            "status": response.status_code,
            "headers": dict(response.items()),
            "meta": getattr(response, "meta", None),
        }
        cache.set(key, entry, timeout)
    return response


def response_cache_key(view: Any, request: Request, generations: Sequence[str] = ()) -> str:
    """The cache key of ``request`` to ``view``: one entry per caller, query and representation,
    and per generation of the view and its model."""
    user = getattr(request, "user", None)
    caller = str(user.pk) if user is not None and user.is_authenticated else "anonymous"
    parts = [
        *generations,
        view_label(type(view)),
        caller,
        request.path,
        "&".join(sorted(request.GET.urlencode().split("&"))),
        getattr(request, "accepted_media_type", "") or "",
        get_language() or "",
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"kit:response:{digest}"


def invalidate_responses(*targets: type[Model] | type) -> None:
    """Forget the cached responses of views over these models, or of these view classes.

    In every process sharing the default cache. The kit's views call it after each committed write
    for themselves and their model; call it after writes that bypass them (the ORM in a task, a
    management command, a signal handler)::

        invalidate_responses(Item)            # every cached view whose model is Item
        invalidate_responses(ItemStatistics)  # one view class
    """
    labels = [target_label(target) for target in targets]
    caches[DEFAULT_CACHE_ALIAS].set_many({GENERATION_PREFIX + label: _new_token() for label in labels}, None)


def response_dependencies(view: Any) -> list[type]:
    """What a view's cached responses depend on: the view's class and its model, when it has one."""
    model = view_model(view)
    return [type(view)] if model is None else [type(view), model]


def view_model(view: Any) -> type[Model] | None:
    """The model of a view (its ``model``, else its ``queryset``'s), or None."""
    model = getattr(view, "model", None) or getattr(getattr(view, "queryset", None), "model", None)
    return model if isinstance(model, type) and issubclass(model, Model) else None


def current_generations(targets: Sequence[type[Model] | type]) -> list[str] | None:
    """The generation tokens of ``targets`` (created when missing), or None when unreadable."""
    cache: BaseCache = caches[DEFAULT_CACHE_ALIAS]
    keys = [GENERATION_PREFIX + target_label(target) for target in targets]
    found = dict(cache.get_many(keys))  # a copy: django-redis may return a shared {} on errors
    for key in keys:
        if key not in found:
            token = _new_token()
            found[key] = token if cache.add(key, token, None) else cache.get(key)
    tokens = [found[key] for key in keys]
    return None if None in tokens else tokens


def target_label(target: type[Model] | type) -> str:
    """``app_label.model`` for a model (its concrete model for a proxy), else the view's label."""
    if issubclass(target, Model):
        return target._meta.concrete_model._meta.label_lower  # type: ignore[union-attr]
    return view_label(target)


def view_label(view_class: type) -> str:
    return f"{view_class.__module__}.{view_class.__qualname__}"


def _new_token() -> str:
    return secrets.token_hex(8)


class ConditionalGetMixin:
    """Weak ``ETag`` on successful GET responses, ``304 Not Modified`` for a matching ``If-None-Match``.

    The ETag hashes the response data (and its ``meta``, e.g. pagination) with the negotiated media
    type, so it changes when the data changes. The view still runs (it computes the data); combine
    with :func:`cache_response` to skip that work too.
    """

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        return conditional_response(request, response)


def conditional_response(request: Request, response: HttpResponseBase) -> HttpResponseBase:
    """``response`` with its ETag, or a 304 when the client already holds that version."""
    if (
        request.method not in SAFE_METHODS
        or response.status_code != 200
        or not isinstance(response, Response)
        or response.exception
    ):
        return response
    etag = data_etag(response.data, getattr(response, "meta", None), request.accepted_media_type)
    response["ETag"] = etag
    if not etag_matches(request.headers.get("If-None-Match", ""), etag):
        return response
    not_modified = HttpResponseNotModified()
    for header in NOT_MODIFIED_HEADERS:
        if header in response:
            not_modified[header] = response[header]
    return not_modified


def data_etag(data: Any, meta: Any = None, media_type: str = "") -> str:
    """A weak ETag for the response data."""
    payload = json.dumps([data, meta, media_type], cls=JSONEncoder, sort_keys=True, separators=(",", ":"))
    return f'W/"{hashlib.sha256(payload.encode()).hexdigest()[:32]}"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 section 13.1.2): ``W/"x"`` matches ``"x"`` and ``W/"x"``."""
    if not if_none_match:
        return False
    tags = parse_etags(if_none_match)
    return "*" in tags or _opaque(etag) in {_opaque(tag) for tag in tags}


def _opaque(tag: str) -> str:
    return tag.removeprefix("W/")
