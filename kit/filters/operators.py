"""Filter operators for ``ModelFilter.Meta.fields``: ``{"name": (EQ, ILIKE), "count": (GT, LE)}``.

Each operator is the suffix of its query parameter (``count__gt``); ``EQ`` is the bare field name
(``?name=foo``). :data:`LOOKUPS` maps an operator to the Django lookup it runs.
"""

from __future__ import annotations

from typing import Final

EQ: Final = "eq"
NOT: Final = "not"
GT: Final = "gt"
GE: Final = "ge"
LT: Final = "lt"
LE: Final = "le"
IN: Final = "in"
ISNULL: Final = "isnull"
LIKE: Final = "like"
ILIKE: Final = "ilike"
REGEXP: Final = "regexp"
IREGEXP: Final = "iregexp"
CONTAINS: Final = "contains"
ICONTAINS: Final = "icontains"
STARTSWITH: Final = "startswith"
ENDSWITH: Final = "endswith"
RANGE: Final = "range"

#: operator -> Django lookup. CONTAINS, ICONTAINS, STARTSWITH and ENDSWITH run as LIKE/ILIKE
#: patterns (the value escaped) so their case sensitivity is the same on every database.
LOOKUPS: Final[dict[str, str]] = {
    EQ: "exact",
    NOT: "exact",
    GT: "gt",
    GE: "gte",
    LT: "lt",
    LE: "lte",
    IN: "in",
    ISNULL: "isnull",
    LIKE: "like",
    ILIKE: "ilike",
    REGEXP: "regexp",
    IREGEXP: "iregexp",
    CONTAINS: "like",
    ICONTAINS: "ilike",
    STARTSWITH: "like",
    ENDSWITH: "like",
    RANGE: "range",
}

#: Operators whose value is wrapped into a LIKE pattern: ``{}`` is the escaped value.
PATTERN_TEMPLATES: Final[dict[str, str]] = {
    CONTAINS: "%{}%",
    ICONTAINS: "%{}%",
    STARTSWITH: "{}%",
    ENDSWITH: "%{}",
}

#: Operators that exclude the matching rows instead of keeping them.
EXCLUDING: Final = frozenset({NOT})

ALL: Final = tuple(LOOKUPS)
