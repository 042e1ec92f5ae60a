"""Model views publishing live events (the resources of the realtime tests).

Left out of the OpenAPI document (``schema = None``): they serve the example app's ``Item`` again, under
the names of its own serializer.
"""

from kit.authorization.scoping import OwnedQuerysetMixin
from kit.views import ListCreateModelView, RetrieveUpdateDestroyModelView
from tests.example.models import Item


class LiveItemList(ListCreateModelView):
    model = Item
    resource = "live_items"
    publish_events = True
    schema = None


class LiveItemDetail(RetrieveUpdateDestroyModelView):
    model = Item
    resource = "live_items"
    publish_events = True
    schema = None


class OwnItemList(OwnedQuerysetMixin, ListCreateModelView):
    model = Item
    resource = "own_items"
    owner_field = "owner"
    unscoped_permission = "own_items:read_all"
    publish_events = True
    schema = None


class OwnItemDetail(OwnedQuerysetMixin, RetrieveUpdateDestroyModelView):
    model = Item
    resource = "own_items"
    owner_field = "owner"
    unscoped_permission = "own_items:read_all"
    publish_events = True
    schema = None
