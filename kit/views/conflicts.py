"""Unique violations caught by serializer validation answer 409 ``conflict``, not 400.

DRF's ``UniqueValidator`` and ``UniqueTogetherValidator`` report a duplicate as a validation error
with the code ``unique``. When every error of a request is such a duplicate, the request conflicts
with the current state of the resource (409); any other error keeps the 400 validation problem, so
the client sees every mistake at once. Duplicates that only the database detects
(``IntegrityError``) are turned into the same 409 by the exception handler.
"""

from __future__ import annotations

from rest_framework.exceptions import ValidationError

from kit.errors.exceptions import Problem
from kit.errors.problems import validation_errors

UNIQUE_CODES = frozenset({"unique", "unique_together"})


def conflict_from_validation(exc: ValidationError) -> Problem | None:
    """Return the 409 ``conflict`` problem for ``exc`` when all its errors are unique violations."""
    errors = list(validation_errors(exc.detail))
    if not errors or not all(error["code"] in UNIQUE_CODES for error in errors):
        return None
    return Problem(409, "conflict", errors[0]["detail"], errors=errors)
