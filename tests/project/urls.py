from django.contrib import admin
from django.urls import include, path

from kit.errors import handler400, handler403, handler404, handler500  # noqa: F401

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("kit.urls")),
    path("api/v1/", include("tests.example.urls")),
    path("api/test/", include("tests.example.api_urls")),
    path("api/files-test/", include("tests.files.app.urls")),
    path("ops-test/", include("tests.ops.urls")),
    path("services-test/", include("tests.services.urls")),
    path("realtime-test/", include("tests.realtime.urls")),
]
