"""Per-test overhead of the kit's test isolation against Colibris's (a database per test).

Runs the same small API tests (``small_api_tests.py``) on PostgreSQL three ways, each in a fresh
pytest process, and prints the time each test spends in setup and teardown (the overhead; the
test's own work is its call phase):

1. the kit: the test database is created and migrated once per session, each test runs in a
   transaction that is rolled back;
2. the kit with a warm ``--reuse-db`` (the database kept from the run before, migrations
   unchanged), and how long that run takes to start (process start to the first test's call);
3. Colibris's way: a test database created, migrated and dropped for every test.

The start time depends on the machine and its load, so the same run also measures two baselines:
``pytest --version`` (the interpreter and pytest alone) and a warm ``--reuse-db`` start of the
same tests with pytest-django alone (``plain_tests.py``, ``-p no:kit``). Warm starts are the
median of ``--starts`` runs, interleaved.

    python bench/test_overhead/run.py [--tests 200] [--per-test-tests 200] [--starts 5]
                                      [--database-url URL]

The database URL defaults to ``KIT_TEST_POSTGRES_URL`` (or the local PostgreSQL); the benchmark
uses the database name with ``_bench`` appended (tests run in ``test_<name>_bench``), and drops it
at the end. Targets: at least 50x less overhead per test than Colibris's way, and a warm
``--reuse-db`` run that starts in under 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
PLAIN = HERE / "plain_tests.py"
ROOT = HERE.parents[1]
DEFAULT_URL = os.environ.get("KIT_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/kit")
OVERHEAD_TARGET = 50
START_TARGET = 2.0


@dataclass
class Run:
    """One pytest process: its wall time, its start time, and each test's phases (seconds)."""

    label: str
    wall: float
    start: float
    start_cpu: float  # CPU seconds of the pytest process until the first test's call
    phases: dict[str, dict[str, float]]

    @property
    def overheads(self) -> list[float]:
        return [p.get("setup", 0.0) + p.get("teardown", 0.0) for p in self.phases.values()]

    @property
    def mean_overhead(self) -> float:
        """Setup and teardown per test, the session's one-time work included (amortized)."""
        return statistics.fmean(self.overheads)

    @property
    def median_overhead(self) -> float:
        """Setup and teardown of a typical test (without the one-time work)."""
        return statistics.median(self.overheads)

    @property
    def mean_call(self) -> float:
        return statistics.fmean(p.get("call", 0.0) for p in self.phases.values())


def run_pytest(label: str, database_url: str, tests: int, *args: str, target: Path = HERE, **env: str) -> Run:
    with tempfile.NamedTemporaryFile(suffix=".json") as results:
        environment = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("DJANGO_SETTINGS_MODULE", "TEST_DATABASE_URL")
            },
            "DATABASE_URL": database_url,
            "BENCH_TESTS": str(tests),
            "BENCH_RESULTS": results.name,
            "PYTHONPATH": str(ROOT),
            **env,
        }
        command = [sys.executable, "-m", "pytest", "-q", "-c", str(HERE / "pytest.ini"), str(target), *args]
        started = time.time()
        process = subprocess.run(command, cwd=HERE, env=environment, capture_output=True, text=True)
        wall = time.time() - started
        if process.returncode != 0:
            sys.exit(f"{label}: pytest failed ({process.returncode})\n{process.stdout}\n{process.stderr}")
        data = json.loads(Path(results.name).read_text())
    return Run(label, wall, data["first_call_started"] - started, data["first_call_cpu"], data["phases"])


def pytest_version_time() -> float:
    """Wall seconds of ``python -m pytest --version``: the interpreter and pytest, nothing else."""
    started = time.time()
    subprocess.run([sys.executable, "-m", "pytest", "--version"], cwd=HERE, capture_output=True, check=True)
    return time.time() - started


def bench_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_bench"))


def drop_test_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = "test_" + parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", type=int, default=200, help="tests per run with the kit")
    parser.add_argument("--per-test-tests", type=int, default=200, help="tests in the database-per-test run")
    parser.add_argument("--starts", type=int, default=5, help="warm starts measured (median)")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="a PostgreSQL URL")
    options = parser.parse_args()
    url = bench_url(options.database_url)

    kit = run_pytest("kit: one database, a transaction per test", url, options.tests)
    run_pytest("(builds the reused database)", url, options.tests, "--reuse-db")
    warm_runs, plain_runs, version_times = [], [], []
    for _ in range(options.starts):  # interleaved, so that both see the same load
        warm_runs.append(run_pytest("kit: warm --reuse-db", url, options.tests, "--reuse-db"))
        plain_runs.append(run_pytest("plain", url, options.tests, "--reuse-db", "-p", "no:kit", target=PLAIN))
        version_times.append(pytest_version_time())
    warm = sorted(warm_runs, key=lambda run: run.start)[len(warm_runs) // 2]  # the median start
    plain_start = statistics.median(run.start for run in plain_runs)
    warm_cpu = statistics.median(run.start_cpu for run in warm_runs)
    plain_cpu = statistics.median(run.start_cpu for run in plain_runs)
    version_time = statistics.median(version_times)
    per_test = run_pytest(
        "Colibris: a database per test", url, options.per_test_tests, BENCH_ISOLATION="per-test"
    )
    drop_test_database(url)

    parts = urlsplit(url)
    print(f"Small API tests on PostgreSQL (database {parts.path.lstrip('/')} on {parts.hostname})")
    print(
        f"{'isolation':44} {'tests':>5} {'wall s':>7} {'start s':>7} {'overhead/test ms':>17} "
        f"{'median ms':>9} {'call ms':>7}"
    )
    for run in (kit, warm, per_test):
        print(
            f"{run.label:44} {len(run.phases):5} {run.wall:7.2f} {run.start:7.2f} "
            f"{run.mean_overhead * 1000:17.2f} {run.median_overhead * 1000:9.2f} {run.mean_call * 1000:7.2f}"
        )
    ratio = per_test.mean_overhead / kit.mean_overhead
    verdict = "ok" if ratio >= OVERHEAD_TARGET else "MISSED"
    print(f"overhead per test, Colibris / kit: {ratio:.0f}x (target >= {OVERHEAD_TARGET}x: {verdict})")
    verdict = "ok" if warm.start < START_TARGET else "MISSED"
    print(f"warm --reuse-db run starts in {warm.start:.2f} s (target < {START_TARGET:.0f} s: {verdict})")
    print(
        f"same run, medians of {options.starts}: warm start kit {warm.start:.2f} s, pytest-django "
        f"alone {plain_start:.2f} s (kit / plain {warm.start / plain_start:.2f}x); CPU until the first "
        f"test kit {warm_cpu:.2f} s, plain {plain_cpu:.2f} s ({warm_cpu / plain_cpu:.2f}x); "
        f"pytest --version {version_time:.2f} s (kit start / --version {warm.start / version_time:.1f}x)"
    )
    print(
        f"warm starts, s: kit {sorted(round(r.start, 2) for r in warm_runs)}, plain "
        f"{sorted(round(r.start, 2) for r in plain_runs)}"
    )


if __name__ == "__main__":
    main()
