"""The kit's URLs, included at the project root: ``path("", include("kit.urls"))``."""

from django.urls import include, path

urlpatterns = [
    path("", include("kit.tasks.urls")),
]
