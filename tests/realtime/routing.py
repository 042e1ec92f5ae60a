from django.urls import path

from kit.realtime import EventsConsumer
from tests.realtime.consumers import EchoConsumer, FloodConsumer, PublicConsumer

websocket_urlpatterns = [
    path("v1/events", EventsConsumer.as_asgi()),
    path("test/echo", EchoConsumer.as_asgi()),
    path("test/public", PublicConsumer.as_asgi()),
    path("test/flood", FloodConsumer.as_asgi()),
]
