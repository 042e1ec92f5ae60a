"""``manage.py test [pytest args]``: pytest with the project's settings, and pytest's exit code."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.passes import sqlite_run_only

# Database independent: runs on the suite's SQLite run only.
pytestmark = [pytest.mark.slow, sqlite_run_only]

ROOT = Path(__file__).resolve().parents[2]

TESTS = """
def test_passes(db):
    pass


def test_fails():
    assert False, "failing on purpose"
"""


def manage(directory: Path, *args: str) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "manage.py",
        "test",
        "-p",
        "no:hypothesispytest",
        "-p",
        "no:schemathesis",
        *args,
    ]
    return subprocess.run(command, cwd=directory, capture_output=True, text=True, timeout=300)


@pytest.fixture
def project(shop, monkeypatch):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")  # manage.py sets it, as in a real shell
    shop.write("tests/test_shop.py", TESTS)
    return shop.path


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["-k", "passes"], pytest.ExitCode.OK),
        ([], pytest.ExitCode.TESTS_FAILED),
        (["-k", "nothing_matches"], pytest.ExitCode.NO_TESTS_COLLECTED),
        (["--no-such-option"], pytest.ExitCode.USAGE_ERROR),
    ],
)
def test_exit_code_is_pytests(project, args, code):
    result = manage(project, *args)
    assert result.returncode == code, result.stdout + result.stderr


def test_arguments_reach_pytest_and_the_settings_are_the_projects(project):
    result = manage(project, "-v", "-k", "passes", "--settings=shopproject.settings")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "settings: shopproject.settings (from env)" in result.stdout
    assert "tests/test_shop.py::test_passes PASSED" in result.stdout


def test_the_kits_own_manage_py_test(monkeypatch):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    result = manage(ROOT, "-q", "tests/foundation")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
