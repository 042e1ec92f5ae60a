"""``manage.py runworker [queues...] [--with-scheduler] [--burst]``: run a task worker."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from redis.exceptions import ConnectionError as RedisConnectionError

from kit.tasks.backends.base import KitTaskBackend
from kit.tasks.compat import DEFAULT_TASK_BACKEND_ALIAS, task_backends

LEVELS = {0: "WARNING", 1: "INFO", 2: "DEBUG", 3: "DEBUG"}


class Command(BaseCommand):
    help = (
        "Run a worker for the task queues (all configured queues by default, in their configured "
        "order of priority). SIGTERM stops it after the current task (warm shutdown)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("queues", nargs="*", help="Queues to work on, highest priority first.")
        parser.add_argument(
            "--with-scheduler",
            action="store_true",
            help="Also run the scheduler: deferred tasks, retry delays and periodic tasks.",
        )
        parser.add_argument("--burst", action="store_true", help="Quit once the queues are empty.")
        parser.add_argument("--backend", default=DEFAULT_TASK_BACKEND_ALIAS, help="TASKS alias.")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends[options["backend"]]
        if not isinstance(backend, KitTaskBackend):
            raise CommandError(f"Task backend {options['backend']!r} is not one of the kit's backends.")
        unknown = set(options["queues"]) - backend.queues
        if unknown:
            raise CommandError(f"Unknown queues: {', '.join(sorted(unknown))} (TASKS QUEUES).")
        configure_logging(LEVELS[options["verbosity"]])
        try:
            backend.run_worker(
                options["queues"], burst=options["burst"], with_scheduler=options["with_scheduler"]
            )
        except RedisConnectionError as exc:
            raise CommandError(f"Cannot reach Redis: {exc}") from exc


def configure_logging(level: str) -> None:
    """Show the tasks' log lines when the project's LOGGING does not route them anywhere."""
    logging.getLogger("kit.tasks").setLevel(level)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
