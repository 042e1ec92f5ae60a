"""The optional startup check (``KIT["HEALTH_CHECK_ON_STARTUP"]``): an unhealthy service does not boot.

Runs from the kit's ``AppConfig.ready()`` in server and worker processes only (``manage.py serve``,
``runserver``, ``runworker``, ``rqworker``, a ``gunicorn`` started directly), never for ``migrate``,
``shell`` or the tests. The worker requirement of the task-queue check is left out: servers may boot
before the workers.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Sequence

from kit.conf import kit_settings
from kit.health.checks import get_checks
from kit.health.runner import run_checks

logger = logging.getLogger(__name__)

SERVER_AND_WORKER_COMMANDS = frozenset({"serve", "runserver", "runworker", "rqworker"})


class UnhealthyAtStartup(RuntimeError):
    """The startup check failed: the process stops instead of serving."""


def is_server_or_worker(argv: Sequence[str] | None = None) -> bool:
    """Whether this process serves requests or runs tasks (judged by its command line)."""
    argv = sys.argv if argv is None else argv
    if not argv:
        return False
    if os.path.basename(argv[0]).startswith("gunicorn"):
        return True
    return len(argv) > 1 and argv[1] in SERVER_AND_WORKER_COMMANDS


def check_on_startup(argv: Sequence[str] | None = None) -> None:
    """Run the health checks when enabled and this is a server or worker; raise when unhealthy."""
    if not kit_settings.HEALTH_CHECK_ON_STARTUP or not is_server_or_worker(argv):
        return
    with warnings.catch_warnings():
        # The checks query the database while the app registry finishes loading, on purpose.
        warnings.filterwarnings("ignore", "Accessing the database during app initialization")
        report = run_checks(get_checks(startup=True))
    if report.ok:
        logger.info("Startup health check passed")
        return
    for result in report.results:
        if not result.ok:
            logger.critical("Startup health check %s failed: %s", result.name, result.detail or result.error)
    raise UnhealthyAtStartup(f"unhealthy at startup: {', '.join(report.failing)}")
