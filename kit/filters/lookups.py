"""``like``, ``ilike``, ``regexp`` and ``iregexp`` lookups that behave alike on SQLite, PostgreSQL, MariaDB.

Pattern syntax (SQL's): ``%`` matches any run of characters, ``_`` exactly one character, and a
backslash makes the next character literal (``\\%``, ``\\_``, ``\\\\``). ``like`` compares
characters exactly (case-sensitive on every database, whatever the column's collation); ``ilike``
compares the lower-cased value with the lower-cased pattern. Registered on ``CharField`` and
``TextField``: ``Item.objects.filter(name__ilike="a%")``.

``regexp``/``iregexp`` search with a regular expression by characters on every database (validate
untrusted patterns with :func:`kit.filters.regex.validate_regex` first).

``has_element`` (registered on ``JSONField``) keeps the rows whose JSON value is an array holding
the given element, compared by JSON type and value, on every database:
``Post.objects.filter(tags__has_element="red")``. Django's own ``contains`` is unsupported on SQLite.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, TypeGuard

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models.expressions import Col
from django.db.models.sql.compiler import SQLCompiler

_SQLITE_FUNCTION = "kit_like"


def escape_like(value: str) -> str:
    """Escape ``value`` so that it matches itself literally inside a LIKE pattern."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@lru_cache(maxsize=512)
def like_regex(pattern: str) -> re.Pattern[str]:
    """Translate a LIKE pattern into an equivalent Python regular expression (used on SQLite)."""
    parts: list[str] = []
    chars = iter(pattern)
    for char in chars:
        if char == "\\":
            parts.append(re.escape(next(chars, "\\")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)


def _sqlite_like(value: str | None, pattern: str | None, fold_case: int) -> bool | None:
    if value is None or pattern is None:
        return None
    if fold_case:
        value, pattern = value.lower(), pattern.lower()
    return like_regex(pattern).fullmatch(value) is not None


#: The characters whose ``str.lower()`` is ASCII or more than one character: for an ASCII
#: pattern, the only ones on which SQLite's LIKE (it folds ASCII letters alone) and the Python match
#: of ``lower()`` can disagree, and only when the pattern holds the letters named here or, for the
#: two-character lowering, a ``_`` (checked against the whole of Unicode by the tests).
_LOWERS_APART = {"\u212a": "k", "\u0130": "i_"}  # KELVIN SIGN -> "k"; "İ" -> "i̇" (2 characters)


def sqlite_native_ilike(pattern: object) -> TypeGuard[str]:
    """Whether SQLite's own ``LIKE ... ESCAPE '\\'`` matches ``pattern`` as :func:`_sqlite_like` does
    on every value without a NUL (SQLite's LIKE stops there) or a character of :func:`lowering_apart`.

    True for a text pattern of ASCII characters other than NUL that does not end with an unpaired
    backslash (SQLite's LIKE matches nothing then; the Python match takes it literally).
    SQLite's LIKE folds ASCII case (``PRAGMA case_sensitive_like`` must stay off, its default), and
    ``%`` and ``_`` match any one character or run of characters, as in the Python match.
    """
    if not isinstance(pattern, str) or not pattern.isascii() or "\x00" in pattern:
        return False
    trailing = len(pattern) - len(pattern.rstrip("\\"))
    return trailing % 2 == 0


def lowering_apart(pattern: str) -> list[str]:
    """The characters of :data:`_LOWERS_APART` whose rows an ASCII ``pattern`` may match otherwise."""
    folded = pattern.lower()
    return [char for char, letters in _LOWERS_APART.items() if any(letter in folded for letter in letters)]


def like_tokens(pattern: str) -> list[tuple[bool, str]]:
    """``pattern`` as ``(is_wildcard, character)`` pairs, escapes resolved as :func:`like_regex` does."""
    tokens: list[tuple[bool, str]] = []
    chars = iter(pattern)
    for char in chars:
        if char == "\\":
            tokens.append((False, next(chars, "\\")))
        else:
            tokens.append((char in "%_", char))
    return tokens


def caseless_contained(tokens: list[tuple[bool, str]]) -> str | None:
    """The text of a ``%text%`` pattern whose text is ASCII without letters (digits, punctuation), or
    None: for it, the Python match of ``lower()`` is "the value holds the text", whatever the case of
    the value (no other character lowers to an ASCII character other than a letter)."""
    if len(tokens) < 2 or tokens[0] != (True, "%") or tokens[-1] != (True, "%"):
        return None
    middle = tokens[1:-1]
    text = "".join(char for _, char in middle)
    caseless = text.isascii() and "\x00" not in text and text.lower() == text.upper()
    return text if caseless and not any(wild for wild, _ in middle) else None


def native_implies_match(tokens: list[tuple[bool, str]]) -> bool:
    """Whether every row SQLite's own LIKE keeps for the ASCII pattern of ``tokens`` is kept by the
    Python match too: the pattern ends with ``%`` (what follows a NUL, where SQLite's LIKE stops, is
    matched by it) and holds no ``_`` (which matches ``İ``, two characters once lowered)."""
    return bool(tokens) and tokens[-1] == (True, "%") and (True, "_") not in tokens


Params = tuple[Any, ...]
SQL = tuple[str, Params]


class _TextLookup(models.Lookup):
    fold_case = False

    def process_lhs(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, lhs: Any = None) -> SQL:
        # A column (``name__ilike``) is already resolved: Lookup.process_lhs would resolve a copy.
        if lhs is None and type(self.lhs) is Col:
            sql, params = compiler.compile(self.lhs)
            return sql, tuple(params)
        return super().process_lhs(compiler, connection, lhs)

    def _sides(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, str, Params]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return lhs, rhs, (*lhs_params, *rhs_params)


class Like(_TextLookup):
    """Case-sensitive SQL LIKE (``field__like="a%"``)."""

    lookup_name = "like"

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        # PostgreSQL: LIKE is case-sensitive, the default escape character is the backslash.
        lhs, rhs, params = self._sides(compiler, connection)
        if self.fold_case:
            return f"LOWER({lhs}) LIKE LOWER({rhs})", params
        return f"{lhs} LIKE {rhs}", params

    def as_mysql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        # A binary collation on both sides compares characters exactly (the default *_ci collations
        # ignore case and accents; LIKE BINARY would make "_" match a byte, not a character).
        lhs, rhs, params = self._sides(compiler, connection)
        lhs, rhs = f"CONVERT({lhs} USING utf8mb4)", f"CONVERT({rhs} USING utf8mb4)"
        if self.fold_case:
            lhs, rhs = f"LOWER({lhs})", f"LOWER({rhs})"
        return f"{lhs} COLLATE utf8mb4_bin LIKE {rhs} COLLATE utf8mb4_bin", params

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        # SQLite's LIKE ignores ASCII case only and its LOWER() folds ASCII only: match in Python,
        # except where SQLite's own functions give the same answer (see sqlite_native_ilike).
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        python = f"{_SQLITE_FUNCTION}({lhs}, {rhs}, {int(self.fold_case)})"
        both = (*lhs_params, *rhs_params)
        pattern = rhs_params[0] if self.rhs_is_direct_value() and len(rhs_params) == 1 else None
        if not (self.fold_case and sqlite_native_ilike(pattern)):
            return python, both
        tokens = like_tokens(pattern)
        text = caseless_contained(tokens)
        if text is not None:  # instr() reads past a NUL, and no case to fold
            return f"instr({lhs}, %s) > 0", (*lhs_params, text)
        # Rows holding a NUL or a character lowering apart are matched in Python, the others by
        # SQLite's LIKE (no Python call per row).
        needles = ["char(0)", *(f"'{char}'" for char in lowering_apart(pattern))]
        guard = " OR ".join(f"instr({lhs}, {needle}) > 0" for needle in needles)
        native = f"{lhs} LIKE {rhs}" + (" ESCAPE '\\'" if "\\" in pattern else "")
        guarded = (*lhs_params * len(needles), *both)
        if native_implies_match(tokens):  # the guard only for the rows SQLite's LIKE does not keep
            return f"({native} OR (({guard}) AND {python}))", (*both, *guarded)
        return f"CASE WHEN {guard} THEN {python} ELSE {native} END", (*guarded, *both)


class ILike(Like):
    """Case-insensitive SQL LIKE (``field__ilike="a%"``)."""

    lookup_name = "ilike"
    fold_case = True


class Regexp(_TextLookup):
    """Case-sensitive regular expression search (``field__regexp="^a"``), by characters everywhere.

    Django's ``regex`` runs ``REGEXP BINARY`` on MariaDB, which matches bytes: ``.`` would not
    match an accented letter there.
    """

    lookup_name = "regexp"

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} {'~*' if self.fold_case else '~'} {rhs}", params

    def as_mysql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        lhs, rhs, params = self._sides(compiler, connection)
        collation = "utf8mb4_general_ci" if self.fold_case else "utf8mb4_bin"
        lhs, rhs = f"CONVERT({lhs} USING utf8mb4)", f"CONVERT({rhs} USING utf8mb4)"
        return f"{lhs} COLLATE {collation} REGEXP {rhs} COLLATE {collation}", params

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        # Django registers REGEXP on SQLite connections as Python's re.search.
        lhs, rhs, params = self._sides(compiler, connection)
        if self.fold_case:
            rhs = f"'(?i)' || {rhs}"
        return f"{lhs} REGEXP {rhs}", params


class IRegexp(Regexp):
    """Case-insensitive regular expression search (``field__iregexp="^a"``)."""

    lookup_name = "iregexp"
    fold_case = True


class HasElement(models.Lookup):
    """A JSON array holding an element (``tags__has_element="red"``; ``3`` and ``"3"`` differ)."""

    lookup_name = "has_element"
    prepare_rhs = False

    def _operands(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Params, str]:
        lhs, lhs_params = compiler.compile(self.lhs)
        return lhs, tuple(lhs_params), json.dumps(self.rhs)

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        raise NotImplementedError(f"has_element does not support {connection.vendor}")

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        lhs, params, element = self._operands(compiler, connection)
        return f"{lhs} @> %s::jsonb", (*params, f"[{element}]")

    def as_mysql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        # JSON_CONTAINS alone also looks into nested arrays: compare each top-level scalar instead.
        lhs, params, element = self._operands(compiler, connection)
        sql = (
            f"EXISTS (SELECT 1 FROM JSON_TABLE({lhs}, '$[*]' COLUMNS (element JSON PATH '$')) AS elements"  # noqa: S608
            " WHERE JSON_TYPE(elements.element) NOT IN ('ARRAY', 'OBJECT')"
            " AND JSON_CONTAINS(elements.element, %s))"
        )
        return sql, (*params, element)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        lhs, params, element = self._operands(compiler, connection)
        # lhs is the compiled column; the element is a parameter
        sql = (
            f"(json_type({lhs}) = 'array' AND EXISTS (SELECT 1 FROM json_each({lhs}) AS element"  # noqa: S608
            " WHERE element.type = json_type(%s) AND element.value IS json_extract(%s, '$')))"
        )
        return sql, (*params, *params, element, element)


def _register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(_SQLITE_FUNCTION, 3, _sqlite_like, deterministic=True)


def register() -> None:
    """Register the lookups on text fields and the SQLite function on new connections."""
    for field in (models.CharField, models.TextField):
        for lookup in (Like, ILike, Regexp, IRegexp):
            field.register_lookup(lookup)
    models.JSONField.register_lookup(HasElement)
    connection_created.connect(_register_sqlite_function, dispatch_uid="kit.filters.lookups")
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            _register_sqlite_function(None, connection)
