"""Model views publishing live events (the resources of the realtime tests).

Left out of the OpenAPI document (``schema = None``): they serve the example app's ``Item`` again, under
the names of its own serializer.
"""

from rest_framework.response import Response
from rest_framework.views import APIView

from kit.authentication.jwt.revocation import revoke_user_tokens
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


class RevokeMyTokens(APIView):
    """Revoke every token of the caller (as a password change does)."""

    schema = None

    def post(self, request):
        revoke_user_tokens(request.user.pk)
        return Response(status=204)
