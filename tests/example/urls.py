"""URLs of the example API, included under ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from tests.example import views

router = SimpleRouter(trailing_slash=False)
router.register("categories", views.CategoryViewSet)

urlpatterns = [
    path("items", views.ItemList.as_view(), name="item-list"),
    path("items/<int:pk>", views.ItemDetail.as_view(), name="item-detail"),
    path("filtered-items", views.FilteredItemList.as_view(), name="filtered-item-list"),
    path("filtered-items/<int:pk>", views.FilteredItemDetail.as_view(), name="filtered-item-detail"),
    path("offset-items", views.OffsetItemList.as_view(), name="offset-item-list"),
    *router.urls,
]
