"""Command-line entry for ``manage.py``: Django's, with configuration errors shown cleanly."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured


def execute_from_command_line(argv: Sequence[str] | None = None) -> None:
    """Run a management command; an invalid environment prints its problems and exits with 2.

    Settings errors (``Invalid environment (N problems): ...``) are the operator's to fix, so they
    are shown as one message without a traceback.
    """
    from django.core.management import execute_from_command_line as django_execute

    try:
        django_execute(list(argv) if argv is not None else sys.argv)
    except ImproperlyConfigured as error:
        if not str(error).startswith("Invalid environment"):
            raise
        sys.stderr.write(f"error: {error}\n")
        raise SystemExit(2) from None
