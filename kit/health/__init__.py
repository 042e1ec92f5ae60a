"""Health and status: probes for orchestrators and load balancers, checks a project can extend.

See docs/health.md. The public API:

- ``HealthCheck`` (a dataclass base class) and ``HealthException``: write a check;
- ``run_checks(checks)`` and ``get_checks()``: run the configured checks yourself.
"""

from kit.health.base import CheckResult, HealthCheck, HealthException, HealthReport
from kit.health.checks import get_checks
from kit.health.runner import run_checks

__all__ = ["CheckResult", "HealthCheck", "HealthException", "HealthReport", "get_checks", "run_checks"]
