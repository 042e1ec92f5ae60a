"""The baselines: the same work done by plain DRF and by raw Django (nothing of the kit imported).

- ``/drf/items``, ``/drf/items/<pk>``: a DRF ``ModelViewSet`` with simplejwt's ``JWTAuthentication``,
  ``DjangoModelPermissions`` requiring ``view_item``, a django-filter ``FilterSet`` on three fields,
  ``PageNumberPagination`` and DRF's ``JSONRenderer``;
- ``/drf/bare``: DRF's ``ListAPIView`` with ``PageNumberPagination`` (no filter, no authentication);
- ``/raw/bare``: a function view: ``COUNT`` and ``.values()`` of the page into ``JsonResponse``,
  with pagination metadata.
"""

from typing import Any

import django_filters
from django.http import HttpRequest, JsonResponse
from rest_framework import generics, pagination, permissions, serializers, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.tokens import AccessToken

from tests.example.models import Item

PAGE_SIZE = 20
FIELDS = ["id", "name", "count", "price", "is_active", "uid", "created_at", "category", "owner"]


class ItemFilter(django_filters.FilterSet):
    class Meta:
        model = Item
        fields = {"is_active": ["exact"], "count": ["gte"], "category": ["exact"]}


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = FIELDS


class Pagination(pagination.PageNumberPagination):
    page_size = PAGE_SIZE


class SimpleJWTAuthentication(JWTAuthentication):
    """simplejwt as it comes: its own access token class, no denylist."""

    def get_validated_token(self, raw_token: bytes) -> Any:
        return AccessToken(raw_token)  # type: ignore[arg-type]


class ReadPermission(permissions.DjangoModelPermissions):
    """DRF's model permissions, with reading requiring ``view_<model>`` too."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class Items(viewsets.ModelViewSet):
    queryset = Item.objects.order_by("-pk")
    serializer_class = ItemSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = ItemFilter
    pagination_class = Pagination
    renderer_classes = [JSONRenderer]
    authentication_classes = [SimpleJWTAuthentication]
    permission_classes = [ReadPermission]


class BareItems(generics.ListAPIView):
    queryset = Item.objects.order_by("-pk")
    serializer_class = ItemSerializer
    pagination_class = Pagination
    renderer_classes = [JSONRenderer]
    authentication_classes = []
    permission_classes = []


def raw_bare_items(request: HttpRequest) -> JsonResponse:
    items = Item.objects.order_by("-pk")
    count = items.count()
    rows = list(items.values(*FIELDS[:-2], "category_id", "owner_id")[:PAGE_SIZE])
    return JsonResponse({"data": rows, "meta": {"pagination": {"count": count, "page": 1}}})
