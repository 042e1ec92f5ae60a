"""Real-time: WebSockets on Django Channels, with the HTTP API's accounts, rights and problems.

- :class:`Consumer` and :func:`handles`: JSON WebSocket endpoints (:mod:`kit.realtime.consumer`);
- :class:`EventsConsumer` and :func:`publish`: live resource events (:mod:`kit.realtime.events`);
- :func:`send_to_user`, :func:`send_to_group`: push messages from any code (:mod:`kit.realtime.sending`);
- :func:`get_asgi_application`: the ASGI application of ``<project>/asgi.py`` (:mod:`kit.realtime.routing`,
  which ``asgi.py`` imports before Django is set up: this package needs Django's apps).

Needs the ``realtime`` extra (channels, channels-redis, uvicorn). See docs/realtime.md.
"""

from kit.authorization.requirements import require_all_permissions, require_one_permission, require_permission
from kit.realtime.consumer import Consumer
from kit.realtime.events import EventsConsumer, publish
from kit.realtime.handlers import handles
from kit.realtime.routing import get_asgi_application
from kit.realtime.sending import send_to_group, send_to_user

__all__ = [
    "Consumer",
    "EventsConsumer",
    "get_asgi_application",
    "handles",
    "publish",
    "require_all_permissions",
    "require_one_permission",
    "require_permission",
    "routing",
    "send_to_group",
    "send_to_user",
]
