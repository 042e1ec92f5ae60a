"""``manage.py test [pytest arguments]``: run the tests with pytest and the project's settings.

It replaces Django's ``test`` command: every argument goes to pytest unchanged (``-x``, ``-k``,
``--reuse-db``, ``-n 4``, paths...), and the command exits with pytest's exit code.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the tests with pytest (every argument is passed to pytest)."
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, add_help=False, **kwargs)
        parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="Arguments for pytest.")
        return parser

    def run_from_argv(self, argv: list[str]) -> None:
        """Skip Django's option parsing: pytest parses everything after ``test``."""
        args, pythonpath = _split_django_options(argv[2:])
        sys.exit(run_pytest(args, pythonpath=pythonpath))

    def handle(self, *args: Any, **options: Any) -> None:
        code = run_pytest(list(options["pytest_args"]))
        if code:
            raise SystemExit(code)


def run_pytest(args: list[str], *, pythonpath: str | None = None) -> int:
    """Run pytest in a fresh interpreter with this project's settings; return its exit code."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [pythonpath, env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "pytest", *args]
    with subprocess.Popen(command, env=env) as process:  # noqa: S603
        try:
            return process.wait()
        except KeyboardInterrupt:  # pytest got the same signal: let it report and stop
            return process.wait()


def _split_django_options(args: list[str]) -> tuple[list[str], str | None]:
    """Take ``--settings`` (already applied) and ``--pythonpath`` (returned) out of ``args``."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--settings")
    parser.add_argument("--pythonpath")
    options, rest = parser.parse_known_args(args)
    return rest, options.pythonpath
