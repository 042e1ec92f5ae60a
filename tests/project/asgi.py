"""ASGI application of the kit's test project (WebSockets under /ws/)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.project.settings")

from kit.realtime.routing import get_asgi_application

application = get_asgi_application("tests.realtime.routing.websocket_urlpatterns")
