"""The secret values loaded from the environment, so that logs and messages can mask them."""

from __future__ import annotations

import re

MASK = "*****"
_values: set[str] = set()
_pattern: re.Pattern[str] | None = None


def register(value: str) -> None:
    """Remember a secret value (at least 4 characters: shorter ones would mask too much)."""
    global _pattern
    if len(value) >= 4 and value not in _values:
        _values.add(value)
        alternatives = sorted(_values, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(item) for item in alternatives))


def mask(text: str) -> str:
    """Return ``text`` with every registered secret replaced by ``*****``."""
    return _pattern.sub(MASK, text) if _pattern else text
