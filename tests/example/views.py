"""The example API (``/api/v1/``): items as plain views, categories through a router."""

from kit.views import ListCreateModelView, ModelViewSet, RetrieveUpdateDestroyModelView
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
