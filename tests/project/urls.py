from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("kit.urls")),
    path("api/v1/", include("tests.example.urls")),
    path("ops-test/", include("tests.ops.urls")),
]
