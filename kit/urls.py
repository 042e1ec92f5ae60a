"""The kit's URLs, included at the project root: ``path("", include("kit.urls"))``."""

from django.urls import path

from kit.conf import kit_settings
from kit.health import views as health
from kit.monitoring import views as monitoring

urlpatterns: list = [
    path("health", health.health, name="health"),
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path(kit_settings.METRICS_URL.strip("/"), monitoring.metrics, name="metrics"),
]

if kit_settings.STATUS_URL:
    urlpatterns.append(path(kit_settings.STATUS_URL.strip("/"), health.status, name="status"))
