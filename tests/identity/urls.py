"""URLs for the identity tests: the kit's, the admin, and the test views under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from tests.identity import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("kit.urls")),
    path("api/v1/items", views.ItemList.as_view()),
    path("api/v1/items/<int:pk>", views.ItemDetail.as_view()),
    path("api/v1/own-items", views.OwnItemList.as_view()),
    path("api/v1/own-items/<int:pk>", views.OwnItemDetail.as_view()),
    path("api/v1/whoami", views.Whoami.as_view()),
    path("api/v1/class-permission", views.ClassPermission.as_view()),
    path("api/v1/method-permission", views.MethodPermission.as_view()),
    path("api/v1/combined-permission", views.CombinedPermission.as_view()),
    path("api/v1/authenticated-only", views.AuthenticatedOnly.as_view()),
    path("api/v1/admin-only", views.AdminOnly.as_view()),
    path("api/v1/development", views.Development.as_view()),
]
