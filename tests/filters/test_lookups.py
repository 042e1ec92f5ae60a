"""The ``like``/``ilike``/``regexp``/``iregexp`` lookups in plain ORM queries, on every database."""

import pytest
from django.db.models import Q

from kit.filters.lookups import escape_like, like_regex
from tests.example.models import Item

pytestmark = pytest.mark.django_db


def names(**lookup) -> set[str]:
    return set(Item.objects.filter(**lookup).values_list("name", flat=True))


def test_like_is_case_sensitive_and_ilike_is_not(items):
    assert names(name__like="a%") == {"apple"}
    assert names(name__ilike="a%") == {"apple", "Apricot"}
    assert names(name__ilike="ÉCLAIR%") == {"Éclair", "éclair mini"}


def test_underscore_is_one_character_even_when_it_takes_several_bytes(items):
    assert names(name__like="_clair") == {"Éclair"}


def test_escaped_wildcards_are_literal(items):
    assert names(name__like="%" + escape_like("%") + "%") == {"100% juice"}
    assert names(name__like="%" + escape_like("_") + "%") == {"cherry_pie"}
    assert names(name__like=escape_like("back\\slash")) == {"back\\slash"}


def test_lookups_combine_with_exclude_and_q(items):
    remaining = Item.objects.exclude(name__ilike="%a%").filter(Q(count__lt=0) | Q(name__like="1%"))

    assert {item.name for item in remaining} == {"cherry_pie", "100% juice"}


def test_regexp_matches_characters(items):
    assert names(name__regexp="^.clair$") == {"Éclair"}
    assert names(name__iregexp="^[é]") == {"Éclair", "éclair mini"}


def test_like_regex_translation():
    assert like_regex("a%b_c").fullmatch("aXXbYc")
    assert not like_regex("a%b_c").fullmatch("abc")
    assert like_regex("100\\%").fullmatch("100%")
    assert not like_regex("100\\%").fullmatch("1000")
    assert like_regex("a.b").fullmatch("a.b") and not like_regex("a.b").fullmatch("axb")
    assert like_regex("%").fullmatch("line\nbreak")


def test_escape_like():
    assert escape_like("50%_\\") == "50\\%\\_\\\\"
