"""``manage.py runserver``: Django's development server, listening on ``LISTEN:PORT`` by default."""

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver


class Command(StaticfilesRunserver):
    @property
    def default_addr(self) -> str:  # type: ignore[override]
        return str(getattr(settings, "LISTEN", "0.0.0.0"))  # noqa: S104

    @property
    def default_port(self) -> str:  # type: ignore[override]
        return str(getattr(settings, "PORT", 8888))
