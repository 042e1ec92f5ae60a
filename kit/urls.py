"""The kit's URLs, included at the project root: ``path("", include("kit.urls"))``.

- ``health``, ``health/live``, ``health/ready``: the probes (``health``, ``health-live``,
  ``health-ready``);
- ``KIT["STATUS_URL"]`` (default ``/status``): service status (``status``);
- ``KIT["METRICS_URL"]`` (default ``/metrics``): Prometheus metrics when enabled (``metrics``);
- ``api/schema/``: the OpenAPI document (``api-schema``);
- ``KIT["API_DOCS_URL"]`` (default ``/api/docs``): Swagger UI (``api-docs``);
- ``api/redoc``: Redoc (``api-redoc``);
- ``api/asyncapi.json``: the AsyncAPI document of the WebSocket routes (``api-asyncapi``,
  docs/realtime.md);
- ``api/auth/``: token obtain, refresh, verify and logout (``kit-auth-*``, docs/authentication.md).
- ``api/tasks/<id>``: the status of a task (``kit-task-status``);
- ``api/files/<token>/<filename>``: stored files behind signed, expiring links
  (``kit-file-download``, docs/files.md);
- ``KIT["RPC_URL"]`` (default ``/api/rpc``): JSON-RPC 2.0 and XML-RPC (``rpc``, docs/rpc.md).
"""

from django.urls import include, path

from kit.conf import kit_settings
from kit.health import views as health
from kit.monitoring import views as monitoring
from kit.openapi.views import AsyncAPIView, RedocView, SchemaView, SwaggerView
from kit.rpc.views import RPCView

urlpatterns = [
    path("health", health.health, name="health"),
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path(kit_settings.METRICS_URL.strip("/"), monitoring.metrics, name="metrics"),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path(kit_settings.API_DOCS_URL.lstrip("/"), SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/asyncapi.json", AsyncAPIView.as_view(), name="api-asyncapi"),
    path("api/auth/", include("kit.authentication.urls")),
    path("", include("kit.tasks.urls")),
    path("", include("kit.files.urls")),
]

if kit_settings.STATUS_URL:
    urlpatterns.append(path(kit_settings.STATUS_URL.strip("/"), health.status, name="status"))

if kit_settings.RPC_URL:
    urlpatterns.append(path(kit_settings.RPC_URL.strip("/"), RPCView.as_view(), name="rpc"))
