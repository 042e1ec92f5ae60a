"""The kit's cases (the same work as ``bench.baselines``).

- ``/kit/items``: a ``ListCreateModelView`` with a ``ModelFilter`` on three fields and
  ``resource = "items"`` (JWT authentication, rights authorization with a warm cache, page-number
  pagination with a count, envelope);
- ``/kit/items/<pk>``: a ``RetrieveModelView`` with the same authentication and authorization;
- ``/kit/bare``: a ``ListModelView`` without filter, authentication or permissions.
"""

from kit.filters import ModelFilter
from kit.filters.operators import EQ, GE
from kit.views import ListCreateModelView, ListModelView, RetrieveModelView
from tests.example.models import Item


class ItemFilter(ModelFilter):
    class Meta:
        model = Item
        fields = {"is_active": (EQ,), "count": (GE,), "category": (EQ,)}


class Items(ListCreateModelView):
    model = Item
    filter_class = ItemFilter
    resource = "items"


class ItemDetail(RetrieveModelView):
    model = Item
    resource = "items"


class BareItems(ListModelView):
    model = Item
    authentication_classes = ()
    permission_classes = ()
