"""``manage.py runserver``: Django's development server, listening on ``LISTEN:PORT`` by default.

When the project serves WebSockets (``ASGI_APPLICATION`` set, the ``realtime`` extra installed),
it runs the ASGI application under uvicorn instead, so that HTTP and WebSockets are served
together, with Django's autoreloader, system checks and static files as usual
(``--no-websockets``: Django's own WSGI server).
"""

import errno
import os
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver
from django.core.management.base import CommandParser
from django.db import connections
from django.utils import autoreload


def serves_websockets() -> bool:
    """Whether the project has an ASGI application and the realtime extra is installed."""
    has_application = bool(getattr(settings, "ASGI_APPLICATION", None))
    return has_application and find_spec("channels") is not None and find_spec("uvicorn") is not None


class Command(StaticfilesRunserver):
    addr: str  # set by Django's runserver from the command line
    port: str
    _raw_ipv6: bool

    @property
    def default_addr(self) -> str:  # type: ignore[override]
        return str(getattr(settings, "LISTEN", "0.0.0.0"))  # noqa: S104

    @property
    def default_port(self) -> str:  # type: ignore[override]
        return str(getattr(settings, "PORT", 8888))

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-websockets",
            action="store_false",
            dest="websockets",
            help="Serve HTTP only, with Django's own WSGI development server.",
        )

    def inner_run(self, *args: Any, **options: Any) -> None:
        if not (options.get("websockets", True) and serves_websockets()):
            super().inner_run(*args, **options)
            return
        from kit.realtime.server import asgi_application, serve

        autoreload.raise_last_exception()
        if not options["skip_checks"]:
            self.stdout.write("Performing system checks...\n\n")
            self.check(display_num_errors=True)
        self.check_migrations()
        connections.close_all()
        application = asgi_application()
        if options["use_static_handler"] and (settings.DEBUG or options["insecure_serving"]):
            application = ASGIStaticFilesHandler(application)
        address = f"[{self.addr}]" if self._raw_ipv6 else self.addr
        self.stdout.write(
            f"Django version with WebSockets (uvicorn), using settings {settings.SETTINGS_MODULE!r}\n"
            f"Serving HTTP and WebSockets at http://{address}:{self.port}/\nQuit the server with CONTROL-C.\n"
        )
        try:
            serve(application, self.addr, int(self.port), log_level="info")
        except OSError as error:
            messages = {
                errno.EACCES: "You don't have permission to access that port.",
                errno.EADDRINUSE: "That port is already in use.",
                errno.EADDRNOTAVAIL: "That IP address can't be assigned to.",
            }
            self.stderr.write(f"Error: {messages.get(error.errno or 0, error)}")
            os._exit(1)
