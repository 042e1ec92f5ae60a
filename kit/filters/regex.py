"""Validation of REGEXP/IREGEXP patterns before they reach the database.

SQLite runs Python's ``re``, PostgreSQL POSIX regular expressions and MariaDB PCRE2: a pattern is
accepted only when it compiles in Python and stays inside the part of the syntax the three share.
Rejected: longer than :data:`MAX_LENGTH`, group extensions ``(?...)`` (lookaround, flags, named
groups), backslash escapes other than ``\\d \\D \\s \\S \\w \\W`` and escaped punctuation,
bracket classes ``[[:alpha:]]``, and a quantifier on a group that itself holds a quantifier or an
alternation (``(a+)+``, ``(a|b)*``: catastrophic backtracking).
"""

from __future__ import annotations

import re
import warnings

MAX_LENGTH = 256
_CLASS_ESCAPES = frozenset("dDsSwW")
_QUANTIFIER_START = frozenset("*+?{")
_REPETITION = re.compile(r"\{(?P<low>\d{1,3})(?:,(?P<high>\d{0,3}))?\}")
MAX_REPETITION = 255  # PostgreSQL's limit


class InvalidPattern(ValueError):
    """The pattern is not a portable, safe regular expression (the message says why)."""


def validate_regex(pattern: str) -> str:
    """Return ``pattern`` when it is safe to send to any supported database, else raise."""
    if len(pattern) > MAX_LENGTH:
        raise InvalidPattern(f"The pattern is longer than {MAX_LENGTH} characters.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            re.compile(pattern)
    except (re.error, FutureWarning, DeprecationWarning) as exc:
        raise InvalidPattern(f"Invalid regular expression: {exc}.") from None
    _check_portable(pattern)
    return pattern


def _check_portable(pattern: str) -> None:
    # Each open group records whether it holds a quantifier or an alternation.
    groups: list[bool] = []
    closed_group_is_risky = False
    index, length = 0, len(pattern)
    while index < length:
        char = pattern[index]
        risky_before, closed_group_is_risky = closed_group_is_risky, False
        if char == "\\":
            escaped = pattern[index + 1]  # a trailing backslash does not compile
            if escaped.isalnum() and escaped not in _CLASS_ESCAPES:
                raise InvalidPattern(f"The escape \\{escaped} is not supported.")
            index += 2
            continue
        if char == "[":
            index = _skip_class(pattern, index)
            continue
        if char == "(":
            if pattern.startswith("(?", index):
                raise InvalidPattern("Group extensions (?...) are not supported.")
            groups.append(False)
        elif char == ")":
            closed_group_is_risky = groups.pop()
            if groups:
                groups[-1] = groups[-1] or closed_group_is_risky
        elif char == "|":
            if groups:
                groups[-1] = True
        elif char in _QUANTIFIER_START:
            if char == "{":
                index = _skip_repetition(pattern, index)
            if risky_before and char != "?":
                raise InvalidPattern("A repeated group may not hold a quantifier or an alternation.")
            if groups:
                groups[-1] = True
        index += 1


def _skip_repetition(pattern: str, start: int) -> int:
    """Return the index of the ``}`` closing the ``{m}``, ``{m,}`` or ``{m,n}`` at ``start``."""
    match = _REPETITION.match(pattern, start)
    if match is None:
        raise InvalidPattern("A { must start a repetition {m}, {m,} or {m,n}.")
    low, high = int(match["low"]), match["high"]
    if low > MAX_REPETITION or (high and not low <= int(high) <= MAX_REPETITION):
        raise InvalidPattern(f"Repetition counts must be ordered and at most {MAX_REPETITION}.")
    return match.end() - 1


def _skip_class(pattern: str, start: int) -> int:
    """Return the index after the bracket class opening at ``start``."""
    index = start + 1
    if index < len(pattern) and pattern[index] == "^":
        index += 1
    if index < len(pattern) and pattern[index] == "]":
        index += 1
    while index < len(pattern) and pattern[index] != "]":
        if pattern[index] == "[" and index + 1 < len(pattern) and pattern[index + 1] in ":=.":
            raise InvalidPattern("POSIX bracket classes such as [[:alpha:]] are not supported.")
        if pattern[index] == "\\":
            escaped = pattern[index + 1]
            if escaped.isalnum() and escaped not in _CLASS_ESCAPES:
                raise InvalidPattern(f"The escape \\{escaped} is not supported.")
            index += 1
        index += 1
    return index + 1
