"""The OpenAPI document, its viewers (Swagger UI, Redoc) and the AsyncAPI document, gated by the
``KIT`` docs options.

- ``KIT["API_DOCS_ENABLED"]`` (default ``True``): when false, these URLs answer 404.
- ``KIT["API_DOCS_PERMISSION"]`` (default ``None``: everyone): a DRF permission class (or its import
  string), e.g. ``"rest_framework.permissions.IsAdminUser"`` to show the docs to staff only.

The viewers load their JavaScript and CSS from drf-spectacular-sidecar's static files: the docs
work offline.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kit.conf import kit_settings


class DocsPermission(BasePermission):
    """404 while the docs are disabled; otherwise ``KIT["API_DOCS_PERMISSION"]`` decides."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not kit_settings.API_DOCS_ENABLED:
            raise NotFound()
        permission_class = kit_settings.API_DOCS_PERMISSION
        return permission_class is None or bool(permission_class().has_permission(request, view))


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document (YAML, or JSON with ``?format=json`` or ``Accept: application/json``)."""

    permission_classes = [DocsPermission]


class SwaggerView(SpectacularSwaggerView):
    """Swagger UI over the schema."""

    permission_classes = [DocsPermission]


class RedocView(SpectacularRedocView):
    """Redoc over the schema (its page without web fonts from a CDN)."""

    permission_classes = [DocsPermission]
    template_name = "kit/openapi/redoc.html"


class AsyncAPIView(APIView):
    """The AsyncAPI 3.0 document of the WebSocket routes (JSON); 404 unless WebSockets are served.

    WebSockets are served when ``ASGI_APPLICATION`` is set and the ``realtime`` extra installed.
    """

    permission_classes = [DocsPermission]
    renderer_classes = [JSONRenderer]

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        if not getattr(settings, "ASGI_APPLICATION", None) or importlib.util.find_spec("channels") is None:
            raise NotFound()
        from kit.realtime.asyncapi import asyncapi_document

        return Response(asyncapi_document())
