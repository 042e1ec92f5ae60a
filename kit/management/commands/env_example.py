"""``manage.py env_example``: write a documented .env.example from the project's settings schemas."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kit.conf.example import render_env_example
from kit.conf.schema import loaded_schemas


class Command(BaseCommand):
    help = "Write a documented .env.example listing every environment variable the service reads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=".env.example", help="File to write, or - for stdout.")

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        if not loaded_schemas:
            raise CommandError("No settings schema was loaded: call load_from_env() in settings.py.")
        text = render_env_example(loaded_schemas)
        if output == "-":
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
