"""Ready-made model views: bind HTTP methods to the actions of the mixins (as DRF's generics do)."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from kit.views.mixins import CreateMixin, DestroyMixin, ListMixin, RetrieveMixin, UpdateMixin
from kit.views.model import ModelView


class ListModelView(ListMixin, ModelView):
    """GET: the list."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)


class CreateModelView(CreateMixin, ModelView):
    """POST: create."""

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.create(request, *args, **kwargs)


class ListCreateModelView(ListMixin, CreateMixin, ModelView):
    """GET: the list; POST: create."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.create(request, *args, **kwargs)


class RetrieveModelView(RetrieveMixin, ModelView):
    """GET: one object."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.retrieve(request, *args, **kwargs)


class RetrieveUpdateModelView(RetrieveMixin, UpdateMixin, ModelView):
    """GET: one object; PUT: replace it; PATCH: change some fields."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.retrieve(request, *args, **kwargs)

    def put(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, **kwargs)

    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


class RetrieveUpdateDestroyModelView(RetrieveUpdateModelView, DestroyMixin):
    """GET: one object; PUT: replace it; PATCH: change some fields; DELETE: delete it (204)."""

    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.destroy(request, *args, **kwargs)
