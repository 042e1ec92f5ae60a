"""What the kit's view mixins call on the view they are mixed into.

DRF's ``GenericAPIView`` (so every kit view) has it all; a mixin annotates ``self`` with the
protocol it needs, so that type checkers say what a view must have to take it.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db.models import QuerySet
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer


class ListView(Protocol):
    """A view serving a list: its queryset, filters, serializer and pagination (DRF's generics)."""

    @property
    def paginator(self) -> BasePagination | None: ...

    def get_queryset(self) -> QuerySet[Any]: ...

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]: ...

    def get_serializer_class(self) -> type[BaseSerializer]: ...

    def get_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer[Any]: ...

    def paginate_queryset(self, queryset: Any) -> Any: ...

    def get_paginated_response(self, data: Any) -> Response: ...
