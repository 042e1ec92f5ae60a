"""The kit's URLs, included at the project root: ``path("", include("kit.urls"))``."""

urlpatterns: list = []
