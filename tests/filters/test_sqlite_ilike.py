"""``ilike`` on SQLite: SQLite's own LIKE where it answers as the Python match, the same rows always.

Run on a private in-memory SQLite database whatever database the suite runs on: the lookup's SQL
for SQLite is compiled by Django and executed by SQLite, and its rows are compared with the Python
match every ``ilike`` used on SQLite until then (``_sqlite_like``, still the reference).
"""

import sys

import pytest
from django.db.utils import ConnectionHandler
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kit.filters.lookups import _LOWERS_APART, _sqlite_like, escape_like, sqlite_native_ilike
from tests.example.models import Item

#: Characters that tell the two matches apart if anything does: ASCII letters in both cases, the
#: wildcards and the escape, characters lowering to ASCII or to two characters, other non-ASCII
#: letters, NUL and a newline.
VALUE_CHARS = "aAkKiIsS7- %_\\\u0130\u0131\u212a\u017f\u00df\u00e9\u00c9\x00\n"
PATTERN_CHARS = "aAkKiIsS7- %_\\\x00\n\u00e9"
#: The texts of ``icontains``, ``istartswith``, ``iendswith`` and ``iexact`` (escaped into patterns).
TERM_CHARS = "aKiIsS7- %_\\\u0130\u212a\u00df\x00"
TEMPLATES = ("%{}%", "{}%", "%{}", "{}")


@pytest.fixture(scope="module")
def sqlite(django_db_blocker):
    handler = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
    connection = handler["default"]
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:  # the columns the queries read
            cursor.execute("CREATE TABLE example_item (id integer PRIMARY KEY, name text, uid char(32))")
        yield connection
        connection.close()


def matching(connection, values: list[str], pattern: str) -> tuple[str, list[str]]:
    """The SQL the ``ilike`` lookup runs on SQLite, and the values it keeps out of ``values``."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM example_item")
        cursor.executemany(
            "INSERT INTO example_item (name, uid) VALUES (%s, %s)",
            [(value, f"{index:032x}") for index, value in enumerate(values)],
        )
        query = Item.objects.filter(name__ilike=pattern).values_list("name", flat=True).order_by("uid").query
        sql, params = query.get_compiler(connection=connection).as_sql()
        cursor.execute(sql, params)
        return sql, [row[0] for row in cursor.fetchall()]


def python_match(values: list[str], pattern: str) -> list[str]:
    return [value for value in values if _sqlite_like(value, pattern, 1)]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(st.text(alphabet=VALUE_CHARS, max_size=6), max_size=8, unique=True),
    pattern=st.text(alphabet=PATTERN_CHARS, max_size=5),
)
@example(values=["a\\", "A\\"], pattern="a\\")  # a trailing unpaired backslash is literal
@example(values=["\u212aelvin", "kelvin", "\u0130x", "ix"], pattern="%k%")
@example(values=["\u0130x", "ix", "x"], pattern="%i%")
@example(values=["\u0130x", "ix", "x"], pattern="__")
@example(values=["a\x00b", "ab"], pattern="%b")
@example(values=["\u0130x", "ix"], pattern="_x%")  # SQLite's _ takes İ, the Python match i
def test_ilike_keeps_the_rows_the_python_match_keeps(sqlite, values, pattern):
    assert matching(sqlite, values, pattern)[1] == python_match(values, pattern)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(st.text(alphabet=VALUE_CHARS, max_size=6), max_size=8, unique=True),
    term=st.text(alphabet=TERM_CHARS, max_size=3),
    template=st.sampled_from(TEMPLATES),
)
@example(values=["7", "a7", "A7\x00", "x\x007", "\u01307", "-"], term="7", template="%{}%")
@example(values=["a-1", "A-1", "\u212a-1", "a\x00-1"], term="-1", template="%{}%")
@example(values=["\u212aelvin", "KELVIN", "ke\x00lvin"], term="kel", template="%{}%")
@example(values=["stra\u00dfe", "STRASSE", "\u017fs"], term="ss", template="%{}%")
@example(values=["\u0130z", "iz", "I\u0307z"], term="i", template="{}%")
def test_the_kit_operators_keep_the_rows_the_python_match_keeps(sqlite, values, term, template):
    pattern = template.format(escape_like(term))

    assert matching(sqlite, values, pattern)[1] == python_match(values, pattern)


@pytest.mark.parametrize(
    ("pattern", "native", "python"),
    [
        ("%7%", "instr(", False),  # no letter: no case to fold, instr() reads past a NUL
        ("%\\%%", "instr(", False),  # an escaped % is ASCII too
        ("%-1 %", "instr(", False),
        ("%a%", " LIKE ", True),  # a letter: SQLite's LIKE, rows holding a NUL in Python
        ("%7_%", " LIKE ", True),
        ("7%", " LIKE ", True),
        ("a\\\\", " LIKE ", True),  # a trailing escaped backslash
        ("a\\", None, True),  # a trailing unpaired backslash: SQLite's LIKE matches nothing
        ("%é%", None, True),  # SQLite's LIKE does not fold É
        ("a\x00", None, True),  # SQLite's LIKE stops at a NUL
    ],
)
def test_sqlite_runs_its_own_functions_for_ascii_patterns(sqlite, pattern, native, python):
    sql, _ = matching(sqlite, [], pattern)

    assert sqlite_native_ilike(pattern) is (native is not None)
    assert native is None or native in sql
    assert ("kit_like(" in sql) is python
    assert ("ESCAPE" in sql) is ("\\" in pattern and native == " LIKE ")


def test_the_characters_set_apart_are_every_character_lowering_apart():
    apart = {
        char
        for char in map(chr, range(0x80, sys.maxunicode + 1))
        if len(lowered := char.lower()) != 1 or lowered.isascii()
    }

    assert apart == set(_LOWERS_APART)
    assert {char: char.lower() for char in apart} == {"\u212a": "k", "\u0130": "i\u0307"}


def test_escaped_wildcards_and_case_on_the_native_path(sqlite):
    values = ["100% juice", "100 juice", "a_b", "axb", "APPLE pie", "\u212aelvin", "Kelvin", "back\\slash"]

    assert matching(sqlite, values, "%\\%%")[1] == ["100% juice"]
    assert matching(sqlite, values, "%\\_%")[1] == ["a_b"]
    assert matching(sqlite, values, "apple%")[1] == ["APPLE pie"]
    assert matching(sqlite, values, "kelvin")[1] == ["\u212aelvin", "Kelvin"]
    assert matching(sqlite, values, "%\\\\%")[1] == ["back\\slash"]
