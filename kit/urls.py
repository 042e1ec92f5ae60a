"""The kit's URLs, included at the project root: ``path("", include("kit.urls"))``.

- ``api/schema/``: the OpenAPI document (``api-schema``);
- ``KIT["API_DOCS_URL"]`` (default ``/api/docs``): Swagger UI (``api-docs``);
- ``api/redoc``: Redoc (``api-redoc``).
"""

from django.urls import path

from kit.conf import kit_settings
from kit.openapi.views import RedocView, SchemaView, SwaggerView

urlpatterns = [
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path(kit_settings.API_DOCS_URL.lstrip("/"), SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
