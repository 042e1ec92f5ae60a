"""``manage.py serve``: run the production server (gunicorn) on ``LISTEN:PORT``.

``manage.py serve --websockets`` runs the ASGI server (uvicorn) of the WebSocket routes instead:
a separate process type, so that HTTP stays on gunicorn's sync workers (see docs/realtime.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from kit.serving import Server, default_bind, server_options


class Command(BaseCommand):
    help = (
        "Run the production HTTP server (gunicorn, sync or gthread workers). Defaults come from "
        "LISTEN, PORT, WEB_CONCURRENCY, WEB_THREADS and WEB_TIMEOUT; any gunicorn setting can be "
        "given in GUNICORN_CMD_ARGS. SIGTERM shuts down gracefully."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", action="append", help="HOST:PORT to listen on (default LISTEN:PORT).")
        parser.add_argument("--workers", type=int, help="Worker processes (default WEB_CONCURRENCY).")
        parser.add_argument("--threads", type=int, help="Threads per worker (default WEB_THREADS).")
        parser.add_argument(
            "--worker-class", choices=["sync", "gthread"], help="Default: gthread when threads > 1."
        )
        parser.add_argument("--timeout", type=int, help="Seconds before a silent worker is restarted.")
        parser.add_argument("--graceful-timeout", type=int, help="Seconds to finish requests on SIGTERM.")
        parser.add_argument(
            "--websockets",
            action="store_true",
            help="Serve the ASGI application (ASGI_APPLICATION) with uvicorn, for the WebSocket routes.",
        )
        parser.add_argument(
            "--access-log",
            action="store_const",
            const="-",
            dest="accesslog",
            help="Also write gunicorn's access log (the kit writes its own).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["websockets"]:
            self.serve_websockets(options)
            return
        gunicorn_options = server_options(
            bind=options["bind"],
            workers=options["workers"],
            threads=options["threads"],
            worker_class=options["worker_class"],
            timeout=options["timeout"],
            graceful_timeout=options["graceful_timeout"],
            accesslog=options["accesslog"],
        )
        connections.close_all()  # workers are forked: they must not share the server's connections
        Server(gunicorn_options).run()

    def serve_websockets(self, options: dict[str, Any]) -> None:
        from kit.realtime.server import asgi_application, serve

        host, port = split_bind((options["bind"] or [default_bind()])[0])
        extra = (
            {"timeout_graceful_shutdown": options["graceful_timeout"]} if options["graceful_timeout"] else {}
        )
        connections.close_all()
        serve(asgi_application(), host, port, **extra)


def split_bind(bind: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8888`` for IPv6) as host and port."""
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(f"--bind must be HOST:PORT, not {bind!r}")
    return host.strip("[]"), int(port)
