"""The example API (``/api/v1/``): items as plain views, categories through a router."""

from kit.api.pagination import CursorPagination, LimitOffsetPagination
from kit.views import ListCreateModelView, ModelViewSet, RetrieveUpdateDestroyModelView
from tests.example.filters import ItemFilter
from tests.example.models import Category, Item
from tests.example.serializers import ItemSerializer


class ItemList(ListCreateModelView):
    queryset = Item.objects.select_related("category")
    serializer_class = ItemSerializer
    resource = "items"


class ItemDetail(RetrieveUpdateDestroyModelView):
    queryset = Item.objects.all()
    serializer_class = ItemSerializer
    resource = "items"


class CategoryViewSet(ModelViewSet):
    model = Category
    resource = "categories"


class FilteredItemList(ListCreateModelView):
    """Items with every filter operator (``tests.example.filters.ItemFilter``)."""

    queryset = Item.objects.all()
    serializer_class = ItemSerializer
    filter_class = ItemFilter
    resource = "items"


class FilteredItemDetail(RetrieveUpdateDestroyModelView):
    """One item; the list's filters never narrow the lookup."""

    queryset = Item.objects.all()
    serializer_class = ItemSerializer
    filter_class = ItemFilter
    resource = "items"


class OffsetItemList(FilteredItemList):
    """The filtered items, paginated by ``limit`` and ``offset``."""

    pagination_class = LimitOffsetPagination


class CursorItemList(FilteredItemList):
    """The filtered items, paginated by cursor (no count)."""

    pagination_class = CursorPagination
