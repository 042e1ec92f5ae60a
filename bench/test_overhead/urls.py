"""One small API over the example app's items: the endpoint the benchmark's tests call."""

from django.urls import path
from rest_framework.permissions import AllowAny

from kit.views import RetrieveUpdateDestroyModelView
from tests.example.models import Item


class ItemDetail(RetrieveUpdateDestroyModelView):
    model = Item
    authentication_classes = []
    permission_classes = [AllowAny]


urlpatterns = [path("items/<int:pk>", ItemDetail.as_view())]
