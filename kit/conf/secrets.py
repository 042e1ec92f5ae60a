"""The secret values loaded from the environment, so that logs and messages can mask them."""

from __future__ import annotations

import re

MASK = "*****"
#: Shorter values (and blank ones: an empty SECRET_KEY, an unset password) are never masked.
MIN_LENGTH = 4
_values: set[str] = set()
_pattern: re.Pattern[str] | None = None


def register(value: object) -> None:
    """Remember a secret value; empty, blank or short ones are ignored (they would mask too much)."""
    global _pattern
    if not isinstance(value, str) or len(value.strip()) < MIN_LENGTH or value in _values:
        return
    _values.add(value)
    alternatives = sorted(_values, key=len, reverse=True)
    _pattern = re.compile("|".join(re.escape(item) for item in alternatives))


def mask(text: str) -> str:
    """Return ``text`` with every registered secret replaced by ``*****``."""
    return _pattern.sub(MASK, text) if _pattern else text
