"""Regular expressions are accepted only when every database reads them alike and safely."""

import pytest

from kit.filters.regex import InvalidPattern, validate_regex

ACCEPTED = [
    "^abc$",
    "a.c",
    "a*b+c?",
    "a{2}",
    "a{2,}",
    "a{2,255}",
    "(ab)+",
    "(ab|cd)",
    "(a|b)",
    "[a-z]+",
    "[^0-9]",
    "[]a]",
    "\\d\\w\\s\\D\\W\\S",
    "\\.\\(\\)\\[\\]\\{\\}\\*\\+\\?\\|\\^\\$\\\\",
    "(a+)?",
    "((ab)c)+",
    "é+",
    "a" * 256,
]
REJECTED = [
    "(",
    ")",
    "[a",
    "a**",
    "*a",
    "a{2,1}",
    "a{256}",
    "a{1,999}",
    "a{x",
    "a{,3}",
    "(?i)a",
    "(?=a)",
    "(?P<n>a)",
    "(a)\\1",
    "\\bword",
    "\\Aa",
    "\\x41",
    "\\u00e9",
    "[[:alpha:]]",
    "[\\b]",
    "(a+)+",
    "(a*)*",
    "(a|b)*",
    "(a|aa)+",
    "((a+))+",
    "(a{2})+",
    "(a+){2}",
    "a" * 257,
]


@pytest.mark.parametrize("pattern", ACCEPTED)
def test_accepted(pattern):
    assert validate_regex(pattern) == pattern


@pytest.mark.parametrize("pattern", REJECTED)
def test_rejected(pattern):
    with pytest.raises(InvalidPattern):
        validate_regex(pattern)
