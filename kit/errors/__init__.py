"""Errors answered as RFC 9457 problem details: the exceptions to raise, the handler, Django's views.

- :mod:`kit.errors.exceptions`: :class:`Problem`, :func:`abort`, :func:`register_problem`;
- :mod:`kit.errors.problems`: :class:`ProblemHandler` (DRF's ``EXCEPTION_HANDLER`` and
  :func:`problem_response` outside DRF);
- :mod:`kit.errors.handlers`: Django's error views (``handler400`` ... ``handler500``,
  ``CSRF_FAILURE_VIEW``).

See docs/errors.md.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from kit.errors.exceptions import (
    DEFAULT_CODES,
    TITLES,
    InvalidFilter,
    Problem,
    abort,
    default_code,
    register_problem,
    registered_problem,
)

if TYPE_CHECKING:
    from kit.errors.handlers import handler400, handler403, handler404, handler500, wants_html
    from kit.errors.problems import (
        PROBLEM_CONTENT_TYPE,
        ProblemHandler,
        exception_handler,
        is_connection_failure,
        is_problem_response,
        is_unique_violation,
        problem_response,
        problem_type,
        validation_errors,
    )

#: Names loaded on first use: the handler and Django's error views import DRF's views, which need
#: Django's apps, while the exceptions are raised from code that runs before them (settings).
LAZY = {
    **dict.fromkeys(["handler400", "handler403", "handler404", "handler500", "wants_html"], "handlers"),
    **dict.fromkeys(
        [
            "PROBLEM_CONTENT_TYPE",
            "ProblemHandler",
            "exception_handler",
            "is_connection_failure",
            "is_problem_response",
            "is_unique_violation",
            "problem_response",
            "problem_type",
            "validation_errors",
        ],
        "problems",
    ),
}


def __getattr__(name: str) -> Any:
    module = LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)


__all__ = [
    "DEFAULT_CODES",
    "PROBLEM_CONTENT_TYPE",
    "TITLES",
    "InvalidFilter",
    "Problem",
    "ProblemHandler",
    "abort",
    "default_code",
    "exception_handler",
    "handler400",
    "handler403",
    "handler404",
    "handler500",
    "is_connection_failure",
    "is_problem_response",
    "is_unique_violation",
    "problem_response",
    "problem_type",
    "register_problem",
    "registered_problem",
    "validation_errors",
    "wants_html",
]
