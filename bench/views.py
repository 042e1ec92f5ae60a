"""The three ways of serving the same list of 20 items filtered on three fields.

- ``/kit/items?is_active=true&count__ge=10&category=1``: a kit ``ListCreateModelView``;
- ``/drf/items?is_active=true&count__gte=10&category=1``: a plain DRF ``ModelViewSet`` with a
  django-filter ``FilterSet`` and ``PageNumberPagination`` (DRF's JSON renderer);
- ``/raw/items?is_active=true&count__gte=10&category=1``: Django's ``JsonResponse`` over ``.values()``.
"""

import django_filters
from django.http import HttpRequest, JsonResponse
from rest_framework import pagination, serializers, viewsets
from rest_framework.renderers import JSONRenderer

from kit.filters import ModelFilter
from kit.filters.operators import EQ, GE
from kit.views import ListCreateModelView
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


class DRFItems(viewsets.ModelViewSet):
    queryset = Item.objects.order_by("-pk")
    serializer_class = DRFItemSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = DRFItemFilter
    pagination_class = DRFPagination
    renderer_classes = [JSONRenderer]


def raw_items(request: HttpRequest) -> JsonResponse:
    query = request.GET
    rows = Item.objects.filter(
        is_active=query.get("is_active") == "true",
        count__gte=int(query["count__gte"]),
        category_id=int(query["category"]),
    ).order_by("-pk")
    return JsonResponse({"data": list(rows.values(*FIELDS[:-2], "category_id", "owner_id")[:PAGE_SIZE])})
