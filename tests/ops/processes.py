"""Helpers for the operations tests: the kit's manage.py in real processes, HTTP against them."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
MANAGE = str(ROOT / "manage.py")


def process_env(**overrides: str) -> dict[str, str]:
    """The environment of a child process running the test project (``None`` values are removed)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "DJANGO_"))}
    env.update(DJANGO_SETTINGS_MODULE="tests.project.settings", PYTHONUNBUFFERED="1")
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        cwd=ROOT,
        env=env or process_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_manage(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start ``manage.py ARGS`` in the background, its output going to ``log``."""
    with open(log, "wb") as output:
        return subprocess.Popen(
            [sys.executable, MANAGE, *args], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def child_database_url() -> str:
    """The URL of this test run's database (after pytest-django created it), for child processes."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        assert "memory" not in str(db["NAME"]), "child processes need a file SQLite test database"
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    scheme = {"postgresql": "postgres", "mysql": "mysql"}[connection.vendor]
    return f"{scheme}://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or ''}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until_serving(url: str, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            http_get(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"server did not answer {url} within {timeout} s:\n{log.read_text()}")


def stop(process: subprocess.Popen, timeout: float = 30) -> int:
    """SIGTERM the process and wait for it; kill it if it does not stop in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode
