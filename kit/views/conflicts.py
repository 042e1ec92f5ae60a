"""Unique violations caught by serializer validation answer 409 ``conflict``, not 400.

DRF's ``UniqueValidator`` and ``UniqueTogetherValidator`` report a duplicate as a validation error
with the code ``unique``. When every error of a request is such a duplicate, the request conflicts
with the current state of the resource (409); any other error keeps the 400 validation problem, so
the client sees every mistake at once. Duplicates that only the database detects
(``IntegrityError``) are turned into the same 409 by the exception handler.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError

from kit.exceptions import Problem

UNIQUE_CODES = frozenset({"unique", "unique_together"})


def _codes(codes: Any) -> list[str]:
    if isinstance(codes, dict):
        return [code for value in codes.values() for code in _codes(value)]
    if isinstance(codes, list):
        return [code for value in codes for code in _codes(value)]
    return [codes]


def _errors(detail: Any, path: tuple[str, ...] = ()) -> list[dict[str, str]]:
    if isinstance(detail, dict):
        return [error for key, value in detail.items() for error in _errors(value, (*path, str(key)))]
    if isinstance(detail, list):
        return [error for value in detail for error in _errors(value, path)]
    attr, pointer = ".".join(path), "#/" + "/".join(path)
    return [{"attr": attr, "code": detail.code, "detail": str(detail), "pointer": pointer}]


def conflict_from_validation(exc: ValidationError) -> Problem | None:
    """Return the 409 ``conflict`` problem for ``exc`` when all its errors are unique violations."""
    codes = _codes(exc.get_codes())
    if not codes or not all(code in UNIQUE_CODES for code in codes):
        return None
    errors = _errors(exc.detail)
    return Problem(409, "conflict", errors[0]["detail"], errors=errors)
