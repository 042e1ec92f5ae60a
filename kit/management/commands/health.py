"""``manage.py health [NAME ...] [--json]``: run the health checks; exit 1 when any fails."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kit.health import get_checks, run_checks


class Command(BaseCommand):
    help = "Run the health checks (those of /health/ready) and exit non-zero when any fails."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", metavar="NAME", help="Run only these checks.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the results as JSON.")

    def handle(self, *args: Any, names: list[str], as_json: bool, **options: Any) -> None:
        checks = get_checks()
        unknown = set(names) - {check.label for check in checks}
        if unknown:
            raise CommandError(f"Unknown check(s): {', '.join(sorted(unknown))}")
        report = run_checks([check for check in checks if not names or check.label in names])
        if as_json:
            body = {"status": "ok" if report.ok else "failing", "checks": report.as_dict(details=True)}
            self.stdout.write(json.dumps(body, indent=2))
        else:
            for result in report.results:
                state = "ok" if result.ok else "FAILING"
                line = f"{result.name:<20} {state:<8} {result.duration * 1000:8.1f} ms"
                if result.ok:
                    self.stdout.write(self.style.SUCCESS(line))
                else:
                    self.stdout.write(self.style.ERROR(f"{line}  {result.detail or result.error}"))
        if not report.ok:
            raise CommandError(f"Unhealthy: {', '.join(report.failing)}")
