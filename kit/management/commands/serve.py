"""``manage.py serve``: run the production server (gunicorn) on ``LISTEN:PORT``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from kit.serving import Server, server_options


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
            "--access-log",
            action="store_const",
            const="-",
            dest="accesslog",
            help="Also write gunicorn's access log (the kit writes its own).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
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
