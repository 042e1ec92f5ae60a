"""Health checks as small dataclasses: one dependency each, failing by raising ``HealthException``.

    @dataclass
    class PaymentsCheck(HealthCheck):
        name: ClassVar[str] = "payments"
        timeout: ClassVar[float] = 2.0

        def run(self) -> None:
            if not payments.ping():
                raise HealthException("payments API unreachable")

Register it in ``KIT["HEALTH_CHECKS"]`` (an import string); ``/health``, ``/health/ready`` and
``manage.py health`` then run it next to the kit's own checks.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import ClassVar


class HealthException(Exception):
    """Raised by a check (or by the project's ``get_health()`` hook) when a dependency is unhealthy.

    The message is shown in probe responses: keep secrets and internal details out of it.
    """


@dataclass
class HealthCheck(abc.ABC):
    """One health check. ``run()`` returns when healthy and raises when not."""

    #: Name shown in probe responses and ``manage.py health``.
    name: ClassVar[str] = "check"
    #: Seconds the check may take; ``None`` uses ``KIT["HEALTH_CHECK_TIMEOUT"]``.
    timeout: ClassVar[float | None] = None

    @property
    def label(self) -> str:
        """The name this instance reports under (checks of several aliases add the alias)."""
        return self.name

    def prepare(self) -> None:  # noqa: B027 (optional: most checks need nothing)
        """Import and build what ``run()`` needs, without I/O; called in the caller's thread before
        ``run()`` runs in a thread of its own.

        Checks run concurrently: a module imported for the first time by two threads at once can be
        seen half-initialized (``ImportError: ... partially initialized module``) or deadlock
        (``_DeadlockError``). A check whose ``run()`` imports something lazily imports it here.
        """

    @abc.abstractmethod
    def run(self) -> None:
        """Check the dependency; raise ``HealthException`` (or any exception) when unhealthy."""


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: ``error`` is None when it passed.

    ``error`` is fit for anyone to read: a ``HealthException``'s message, a timeout, or only the
    type of an unexpected exception. ``detail`` is the unexpected exception's message (a driver's
    message names hosts and ports): for the logs, ``manage.py health`` and ``DEBUG`` responses.
    """

    name: str
    error: str | None
    duration: float
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def as_dict(self, *, details: bool = False) -> dict[str, object]:
        """The check's entry in a report; ``details`` shows ``detail`` in place of ``error``."""
        body: dict[str, object] = {
            "status": "ok" if self.ok else "failing",
            "duration_ms": round(self.duration * 1000, 2),
        }
        if self.error is not None:
            body["error"] = (details and self.detail) or self.error
        return body


@dataclass(frozen=True)
class HealthReport:
    """The results of a run of checks."""

    results: tuple[CheckResult, ...]

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results)

    @property
    def failing(self) -> list[str]:
        return [result.name for result in self.results if not result.ok]

    def as_dict(self, *, details: bool = False) -> dict[str, dict[str, object]]:
        return {result.name: result.as_dict(details=details) for result in self.results}
