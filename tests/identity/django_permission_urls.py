"""The identity URLs plus views guarded by Django's own permission checks (not the kit's)."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework import generics
from rest_framework.permissions import DjangoModelPermissions

from tests.example.models import Item
from tests.identity.urls import urlpatterns as identity_urlpatterns
from tests.identity.views import ItemSerializer


@permission_required("items:export", raise_exception=True)
def export(request: HttpRequest) -> HttpResponse:
    return HttpResponse("exported")


class ModelPermissionItems(generics.ListCreateAPIView):
    """A DRF view checked by Django model permissions: POST needs ``example.add_item``."""

    queryset = Item.objects.order_by("id")
    serializer_class = ItemSerializer
    permission_classes = [DjangoModelPermissions]


urlpatterns = [
    *identity_urlpatterns,
    path("export", export),
    path("api/v1/model-permission-items", ModelPermissionItems.as_view()),
]
