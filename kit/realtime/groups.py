"""Names of the kit's groups on the channel layer (ASCII letters, digits, ``-_.``, under 100)."""

from __future__ import annotations

import hashlib
import re
from typing import Any

SAFE = re.compile(r"[A-Za-z0-9_.-]{1,80}")


def safe_name(value: Any) -> str:
    """``value`` as a group-name part: itself when safe, else a digest of it."""
    text = str(value)
    return text if SAFE.fullmatch(text) else hashlib.sha256(text.encode()).hexdigest()[:40]


PROCESSES = "kit.processes"
"""The group of every server process's channel (told when rights change, :mod:`kit.realtime.process`)."""


def user_group(pk: Any) -> str:
    """The group of every connection of one user."""
    return f"kit.user.{safe_name(pk)}"


def resource_group(resource: str) -> str:
    """The group of the connections subscribed to one resource's events."""
    return f"kit.events.{safe_name(resource)}"
