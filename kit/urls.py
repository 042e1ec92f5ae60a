"""The kit's URLs, included at the project root: ``path("", include("kit.urls"))``."""

from django.urls import include, path

urlpatterns: list = [
    path("api/auth/", include("kit.authentication.urls")),
]
