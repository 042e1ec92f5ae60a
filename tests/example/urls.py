"""URLs of the example API, included under ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from tests.example import views

router = SimpleRouter(trailing_slash=False)
router.register("categories", views.CategoryViewSet)

urlpatterns = [
    path("items", views.ItemList.as_view(), name="item-list"),
    path("items/<int:pk>", views.ItemDetail.as_view(), name="item-detail"),
    *router.urls,
]
