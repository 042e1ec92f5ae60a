"""Run health checks concurrently, each in its own thread and cut off by its own timeout.

Each check is prepared first, in the caller's thread (``HealthCheck.prepare()``: imports and clients),
so that no thread imports a module for the first time while another one does.

A check that hangs (a dependency that accepts connections but never answers) is reported as
failing when its timeout passes; its thread is left to finish on its own. While it is still
hanging, later runs report the check as failing at once instead of piling up more threads.

A check that raises logs one line a run, with its traceback only at the first failure of a streak
(until it passes again): probes polling during an outage do not flood the log.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Iterable

from django.db import connections

from kit.conf import kit_settings
from kit.health.base import CheckResult, HealthCheck, HealthException, HealthReport

logger = logging.getLogger(__name__)

_hanging: dict[str, threading.Thread] = {}
_hanging_lock = threading.Lock()
_failing: set[str] = set()  # checks whose current failure streak has logged its traceback
_failing_lock = threading.Lock()


def run_checks(checks: Iterable[HealthCheck]) -> HealthReport:
    """Run ``checks`` concurrently and wait for each at most its timeout."""
    runs = [_CheckRun(check) for check in checks]
    for run in runs:
        run.start()
    return HealthReport(tuple(run.result() for run in runs))


class _CheckRun:
    def __init__(self, check: HealthCheck) -> None:
        self.check = check
        self.label = check.label
        self.timeout = check.timeout if check.timeout is not None else kit_settings.HEALTH_CHECK_TIMEOUT
        self.error: str | None = None
        self.detail: str | None = None
        self.duration = 0.0
        self.started = 0.0
        self.thread = threading.Thread(
            target=contextvars.copy_context().run,  # the request id for its log lines and upstream calls
            args=(self._run,),
            name=f"health:{self.label}",
            daemon=True,
        )
        self.skipped = False

    def start(self) -> None:
        self.started = time.perf_counter()
        with _hanging_lock:
            previous = _hanging.get(self.label)
            if previous is not None and previous.is_alive():
                self.skipped = True
                return
            _hanging.pop(self.label, None)
        try:
            self.check.prepare()
        except Exception as error:
            logger.warning("Health check %s could not be prepared", self.label, exc_info=True)
            self.error = f"{type(error).__name__}: {error}".strip()
            self.duration = time.perf_counter() - self.started
            return
        self.thread.start()

    def result(self) -> CheckResult:
        if self.skipped:
            return CheckResult(self.label, "still hanging since an earlier run", 0.0)
        if self.thread.ident is None:  # never started: its preparation failed
            return CheckResult(self.label, self.error, self.duration)
        self.thread.join(max(0.0, self.started + self.timeout - time.perf_counter()))
        if self.thread.is_alive():
            with _hanging_lock:
                _hanging[self.label] = self.thread
            logger.warning("Health check %s timed out after %g s", self.label, self.timeout)
            elapsed = time.perf_counter() - self.started
            return CheckResult(self.label, f"timed out after {self.timeout:g} s", elapsed)
        return CheckResult(self.label, self.error, self.duration, self.detail)

    def _run(self) -> None:
        try:
            self.check.run()
        except HealthException as error:
            self.error = str(error) or type(error).__name__
        except Exception as error:
            self.error = type(error).__name__  # its message may name hosts and ports: logs only
            self.detail = f"{type(error).__name__}: {error}".strip()
            with _failing_lock:
                first = self.label not in _failing
                _failing.add(self.label)
            logger.warning("Health check %s failed: %s", self.label, self.detail, exc_info=first)
        else:
            with _failing_lock:
                _failing.discard(self.label)
        finally:
            self.duration = time.perf_counter() - self.started
            connections.close_all()
