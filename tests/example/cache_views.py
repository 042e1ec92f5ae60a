"""Read views with response caching and ETags, for the cache tests."""

from rest_framework.permissions import AllowAny

from kit.cache import CacheResponseMixin, ConditionalGetMixin, cache_response
from kit.views import ListModelView, RetrieveModelView
from tests.example.models import Item
from tests.example.serializers import ItemSerializer


class CachedItemList(CacheResponseMixin, ConditionalGetMixin, ListModelView):
    queryset = Item.objects.order_by("name")
    serializer_class = ItemSerializer
    permission_classes = [AllowAny]
    cache_timeout = 60


class DecoratedItemList(ListModelView):
    queryset = Item.objects.order_by("name")
    serializer_class = ItemSerializer
    permission_classes = [AllowAny]

    @cache_response(60)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ETagItemList(ConditionalGetMixin, ListModelView):
    queryset = Item.objects.order_by("name")
    serializer_class = ItemSerializer
    permission_classes = [AllowAny]


class ETagItemDetail(ConditionalGetMixin, RetrieveModelView):
    queryset = Item.objects.all()
    serializer_class = ItemSerializer
    permission_classes = [AllowAny]
