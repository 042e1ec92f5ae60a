"""Remembers the request being served so that tasks it enqueues record who enqueued them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

from kit.tasks.context import current_request


class TaskContextMiddleware:
    """Put it after ``AuthenticationMiddleware``. DRF authenticates later, in the view, and sets the
    user on the Django request too; the enqueuer is read when the task is enqueued, so it is the
    account the view authenticated."""

    sync_capable = True
    async_capable = True

    def __init__(
        self, get_response: Callable[[HttpRequest], HttpResponseBase | Awaitable[HttpResponseBase]]
    ) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.is_async:
            return self.__acall__(request)
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        token = current_request.set(request)
        try:
            return await self.get_response(request)  # type: ignore[misc]
        finally:
            current_request.reset(token)
