"""View decorators: ``deprecated``, ``development_only`` and ``cors``.

Each works on a function view, on a view class (DRF or Django) and on a handler method
(``def get(self, request)``), and leaves an attribute the OpenAPI generator and the CORS hook read:

- ``deprecated``: a :class:`Deprecation` (truthy) on the decorated view, class or method;
- ``development_only``: ``True`` (:func:`hide_development_only` keeps them out of the OpenAPI
  document unless ``DEBUG``);
- ``cors_allowed_origins``: the tuple of extra origins (views and classes only: CORS is per URL).
"""

from __future__ import annotations

import datetime
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.http import Http404, HttpResponseBase
from django.utils.http import http_date

V = TypeVar("V")
DateLike = datetime.date | datetime.datetime | str


@dataclass(frozen=True)
class Deprecation:
    """When an operation was deprecated, when it goes away, and where to read about it."""

    since: datetime.datetime | None = None
    sunset: datetime.datetime | None = None
    link: str | None = None

    def headers(self) -> dict[str, str]:
        """``Deprecation`` (RFC 9745), ``Sunset`` (RFC 8594) and a ``Link`` with rel=deprecation.

        Without ``since`` the ``Deprecation`` date is the time of the response ("deprecated now").
        """
        since = self.since.timestamp() if self.since else time.time()
        headers = {"Deprecation": f"@{int(since)}"}
        if self.sunset:
            headers["Sunset"] = http_date(self.sunset.timestamp())
        if self.link:
            headers["Link"] = f'<{self.link}>; rel="deprecation"; type="text/html"'
        return headers


def deprecated(
    since: DateLike | None = None, *, sunset: DateLike | None = None, link: str | None = None
) -> Callable[[V], V]:
    """Mark a view (or one of its methods) deprecated: headers on its responses, and in OpenAPI.

    ``since`` and ``sunset`` are dates, datetimes (naive ones are UTC) or ISO 8601 strings::

        @deprecated(sunset="2027-01-31", link="https://docs.example.com/migrate-to-v2")
        class ItemList(ListCreateModelView): ...
    """
    deprecation = Deprecation(_as_datetime(since), _as_datetime(sunset), link)

    def add_headers(response: HttpResponseBase) -> HttpResponseBase:
        for name, value in deprecation.headers().items():
            if name == "Link" and response.has_header("Link"):
                value = f"{response['Link']}, {value}"
            response[name] = value
        return response

    return _decorator(after=add_headers, attribute=("deprecated", deprecation))


def development_only(view: V) -> V:
    """Answer 404 ``not_found`` unless ``DEBUG`` is on (checked on every request)."""

    def require_debug() -> None:
        if not settings.DEBUG:
            raise Http404("This endpoint exists in development only.")

    return _decorator(before=require_debug, attribute=("development_only", True))(view)


def hide_development_only(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """drf-spectacular preprocessing hook: development-only operations are documented only in DEBUG."""
    if settings.DEBUG:
        return endpoints
    return [endpoint for endpoint in endpoints if not _is_development_only(endpoint[3], endpoint[2])]


def _is_development_only(view: Any, method: str) -> bool:
    view_class = getattr(view, "cls", None)
    handler_name = getattr(view, "actions", {}).get(method.lower(), method.lower())
    handler = getattr(view_class, handler_name, None)
    return any(getattr(target, "development_only", False) for target in (view, view_class, handler))


def cors(*origins: str) -> Callable[[V], V]:
    """Let browsers on ``origins`` (or ``"*"``) call this view, beyond ``CORS_ALLOWED_ORIGINS``::

    @cors("https://partner.example.com")
    class PublicCatalog(ListCreateModelView): ...
    """

    def decorate(view: V) -> V:
        view.cors_allowed_origins = tuple(origins)  # type: ignore[attr-defined]
        return view

    return decorate


def _decorator(
    *,
    attribute: tuple[str, Any],
    before: Callable[[], None] | None = None,
    after: Callable[[HttpResponseBase], HttpResponseBase] | None = None,
) -> Callable[[V], V]:
    """Wrap a view function or method, or a view class's ``dispatch``, and set ``attribute``."""

    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if before is not None:
                before()
            response = function(*args, **kwargs)
            return after(response) if after is not None else response

        return wrapper

    def decorate(view: V) -> V:
        name, value = attribute
        if isinstance(view, type):
            view.dispatch = wrap(view.dispatch)  # type: ignore[attr-defined]
            setattr(view, name, value)
            return view
        wrapped = wrap(view)  # type: ignore[arg-type]
        setattr(wrapped, name, value)
        for view_class in (getattr(view, "cls", None), getattr(view, "view_class", None)):
            if view_class is not None:  # as_view() results: the class documents the operation
                setattr(view_class, name, value)
        return wrapped  # type: ignore[return-value]

    return decorate


def _as_datetime(value: DateLike | None) -> datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime(value.year, value.month, value.day)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
