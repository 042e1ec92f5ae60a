"""URLs of the example API, included under ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from tests.example import cache_views, views
from tests.example.task_views import EnqueueItemView

router = SimpleRouter(trailing_slash=False)
router.register("categories", views.CategoryViewSet)

urlpatterns = [
    path("items", views.ItemList.as_view(), name="item-list"),
    path("items/<int:pk>", views.ItemDetail.as_view(), name="item-detail"),
    path("filtered-items", views.FilteredItemList.as_view(), name="filtered-item-list"),
    path("filtered-items/<int:pk>", views.FilteredItemDetail.as_view(), name="filtered-item-detail"),
    path("offset-items", views.OffsetItemList.as_view(), name="offset-item-list"),
    path("cursor-items", views.CursorItemList.as_view(), name="cursor-item-list"),
    path("tasks/items", EnqueueItemView.as_view(), name="enqueue-item"),
    path("cached-items", cache_views.CachedItemList.as_view(), name="cached-item-list"),
    path("decorated-items", cache_views.DecoratedItemList.as_view(), name="decorated-item-list"),
    path("etag-items", cache_views.ETagItemList.as_view(), name="etag-item-list"),
    path("etag-items/<int:pk>", cache_views.ETagItemDetail.as_view(), name="etag-item-detail"),
    *router.urls,
]
