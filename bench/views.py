"""The benchmark's cases: the same work done by the kit, by plain DRF and by raw Django.

Full list (20 of the items matching a 3-field filter, page-number pagination with a count, JWT
authentication, a read permission checked, envelope or plain JSON):

- ``/kit/items``: a kit ``ListCreateModelView`` (``resource = "items"``: rights, warm cache);
- ``/drf/items``: a DRF ``ModelViewSet`` with simplejwt's ``JWTAuthentication``,
  ``DjangoModelPermissions`` requiring ``view_item``, a django-filter ``FilterSet``,
  ``PageNumberPagination`` and DRF's ``JSONRenderer``.

Retrieve (one item by primary key, same authentication and permission): ``/kit/items/<pk>`` and
``/drf/items/<pk>``.

Bare list (no filter, no authentication; count and page of 20):

- ``/kit/bare``: a kit ``ListModelView`` without authentication and permissions;
- ``/raw/bare``: a function view: ``COUNT`` and ``.values()`` of the page into ``JsonResponse``,
  with the same pagination metadata;
- ``/drf/bare``: DRF's ``ListAPIView`` with ``PageNumberPagination``.
"""

from typing import Any

import django_filters
from django.http import HttpRequest, JsonResponse
from rest_framework import generics, pagination, permissions, serializers, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework_simplejwt.authentication import JWTAuthentication as SimpleJWTAuthentication
from rest_framework_simplejwt.tokens import AccessToken as SimpleAccessToken

from kit.filters import ModelFilter
from kit.filters.operators import EQ, GE
from kit.views import ListCreateModelView, ListModelView, RetrieveModelView
from tests.example.models import Item

PAGE_SIZE = 20
FIELDS = ["id", "name", "count", "price", "is_active", "uid", "created_at", "category", "owner"]


class KitItemFilter(ModelFilter):
    class Meta:
        model = Item
        fields = {"is_active": (EQ,), "count": (GE,), "category": (EQ,)}


class KitItems(ListCreateModelView):
    model = Item
    filter_class = KitItemFilter
    resource = "items"


class KitItem(RetrieveModelView):
    model = Item
    resource = "items"


class KitBareItems(ListModelView):
    model = Item
    authentication_classes = ()
    permission_classes = ()


class DRFItemFilter(django_filters.FilterSet):
    class Meta:
        model = Item
        fields = {"is_active": ["exact"], "count": ["gte"], "category": ["exact"]}


class DRFItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = FIELDS


class DRFPagination(pagination.PageNumberPagination):
    page_size = PAGE_SIZE


class DRFJWTAuthentication(SimpleJWTAuthentication):
    """simplejwt as it comes: its own access token class, no denylist."""

    def get_validated_token(self, raw_token: bytes) -> Any:
        return SimpleAccessToken(raw_token)  # type: ignore[arg-type]


class DRFReadPermission(permissions.DjangoModelPermissions):
    """DRF's model permissions, with reading requiring ``view_<model>`` too."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class DRFItems(viewsets.ModelViewSet):
    queryset = Item.objects.order_by("-pk")
    serializer_class = DRFItemSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = DRFItemFilter
    pagination_class = DRFPagination
    renderer_classes = [JSONRenderer]
    authentication_classes = [DRFJWTAuthentication]
    permission_classes = [DRFReadPermission]


class DRFBareItems(generics.ListAPIView):
    queryset = Item.objects.order_by("-pk")
    serializer_class = DRFItemSerializer
    pagination_class = DRFPagination
    renderer_classes = [JSONRenderer]
    authentication_classes = []
    permission_classes = []


def raw_bare_items(request: HttpRequest) -> JsonResponse:
    items = Item.objects.order_by("-pk")
    count = items.count()
    rows = list(items.values(*FIELDS[:-2], "category_id", "owner_id")[:PAGE_SIZE])
    return JsonResponse({"data": rows, "meta": {"pagination": {"count": count, "page": 1}}})
