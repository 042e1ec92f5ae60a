"""The benchmark project as ASGI: HTTP to Django, WebSockets to ``bench.realtime_consumers``."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.realtime_settings")

from kit.realtime.routing import get_asgi_application

application = get_asgi_application("bench.realtime_consumers.websocket_urlpatterns")
