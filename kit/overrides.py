"""Which hooks of a class its project overrides: the one test the kit's fast paths use to stand aside.

A fast path (a serializer's read plan, a filter class's prepared plan) replaces the per-request
work of DRF or django-filter. It may do so only while that work is theirs or the kit's: a method
or attribute a project defines runs on their path, never skipped (docs/performance.md, "Fast
paths never skip your code").
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

#: Where the stock implementations live: Django, DRF, django-filter and the kit.
STOCK_MODULES = ("django.", "rest_framework.", "django_filters.", "kit.")


def user_override(cls: type, names: tuple[str, ...]) -> str | None:
    """``"Class.name"`` for the first of ``names`` that ``cls`` takes from a class outside
    :data:`STOCK_MODULES` (a project's own code, or a builtin such as ``property``), or None when
    every one is stock, ``object``'s or absent. Answered once per class."""
    return _user_override(cls, names)


@lru_cache(maxsize=1024)  # bounded: serializer and view classes may be made on the fly
def _user_override(cls: Any, names: tuple[str, ...]) -> str | None:
    for name in names:
        owner = next((klass for klass in cls.__mro__ if name in klass.__dict__), object)
        if owner is not object and not owner.__module__.startswith(STOCK_MODULES):
            return f"{owner.__qualname__}.{name}"
    return None
