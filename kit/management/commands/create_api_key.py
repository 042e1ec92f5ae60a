"""``manage.py create_api_key <username> --name NAME [--expires WHEN]``: prints a new key once."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from kit.authentication.api_keys.keys import api_key_create

RELATIVE = re.compile(r"^(\d+)([dhm])$")
UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_expiry(value: str) -> datetime:
    """``30d``, ``12h``, ``90m``, an ISO date (end of that day) or an ISO datetime."""
    relative = RELATIVE.match(value)
    if relative:
        return timezone.now() + timedelta(**{UNITS[relative[2]]: int(relative[1])})
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        moment = datetime.combine(day, time.max)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Create an API key acting as a user, and print it (it is shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user the key acts as.")
        parser.add_argument("--name", required=True, help="What the key is for.")
        parser.add_argument(
            "--expires", help="When it stops working: 30d, 12h, 90m, 2027-01-31 or an ISO datetime."
        )

    def handle(self, *args: Any, username: str, name: str, expires: str | None, **options: Any) -> None:
        user_model = get_user_model()
        try:
            owner = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist as error:
            raise CommandError(f"No user {username!r}.") from error
        try:
            expires_at = parse_expiry(expires) if expires else None
        except (ValueError, OverflowError) as error:
            raise CommandError(f"--expires {expires!r}: use 30d, 12h, 90m, a date or a datetime.") from error
        if expires_at is not None and expires_at <= timezone.now():
            raise CommandError("--expires is in the past.")
        api_key, key = api_key_create(owner=owner, name=name, expires_at=expires_at)
        self.stderr.write(f"Created API key {api_key.prefix} for {owner}. Copy it now, it is not stored:")
        self.stdout.write(key)
