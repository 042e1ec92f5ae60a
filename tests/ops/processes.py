"""Helpers for tests that run real processes: the kit's manage.py, free ports, HTTP against them."""

import glob
import json
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kit.testing.workers import database_url, die_with_parent
from tests.conftest import IN_CI

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
    """Start ``manage.py ARGS`` in the background, its output going to ``log``.

    The child is killed when the test process dies (Linux), so no server or worker is left behind.
    """
    with open(log, "wb") as output:
        return subprocess.Popen(
            [sys.executable, MANAGE, *args],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )


def child_database_url() -> str:
    """The URL of this test run's database (after pytest-django created it), for child processes."""
    from django.db import connection

    return database_url(connection)


def socket_accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def free_port() -> int:
    """A free TCP port: any, or one of ``KIT_TEST_PORTS`` (``30000-30999``) when that is set."""
    span = os.environ.get("KIT_TEST_PORTS")
    if span:
        low, high = (int(bound) for bound in span.split("-"))
        for port in random.sample(range(low, high + 1), high + 1 - low):
            with socket.socket() as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        raise RuntimeError(f"no free port in KIT_TEST_PORTS={span}")
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


def http_json(
    method: str, url: str, body: object = None, *, token: str | None = None, timeout: float = 10
) -> tuple[int, object]:
    """``method url`` with a JSON body (and a Bearer token): the status and the decoded JSON answer."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, json.loads(raw) if raw else None


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


def postgres_bindir() -> Path | None:
    """The folder of PostgreSQL's server programs (``initdb``, ``postgres``), newest version first."""
    found = [Path(path) for path in glob.glob("/usr/lib/postgresql/*/bin")]
    found.sort(key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        found.append(Path(on_path).parent)
    return next((path for path in found if (path / "initdb").exists() and (path / "postgres").exists()), None)


class PostgresCluster:
    """A private PostgreSQL server (its own data folder and port) to stop, pause and restart at will.

    As root, the server runs as the ``postgres`` user (PostgreSQL refuses root). The server process
    is a child of the test process and dies with it.
    """

    def __init__(self, bindir: Path, port: int) -> None:
        self.bindir = bindir
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="kit-postgres-"))
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.folder, self.user)
        self.log = self.folder / "postgres.log"
        self.process: subprocess.Popen | None = None
        self.run("initdb", "-D", str(self.folder / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [str(self.bindir / program), *args], user=self.user, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def start(self, timeout: float = 30) -> None:
        """Start the server and wait until it accepts connections."""
        data = str(self.folder / "data")
        command = [str(self.bindir / "postgres"), "-D", data, "-p", str(self.port), "-k", str(self.folder)]
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(
                [*command, "-c", "listen_addresses=127.0.0.1"],
                user=self.user,
                stdout=output,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if socket_accepts(self.port):
                ready = [str(self.bindir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)]
                if subprocess.run(ready, user=self.user, check=False).returncode == 0:
                    return
            time.sleep(0.1)
        pytest.fail(f"PostgreSQL did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        """Shut the server down (fast: connections are closed, what was committed is kept)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        self.process.wait(30)

    def processes(self) -> list[int]:
        """The server's process ids: the postmaster and every backend it started."""
        assert self.process is not None
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        return [self.process.pid, *map(int, children)]

    def pause(self) -> None:
        """Freeze the whole server (SIGSTOP): connections stay open, nothing answers."""
        for pid in self.processes():
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in self.processes():
            os.kill(pid, signal.SIGCONT)

    def remove(self) -> None:
        """Kill the server (resumed first if paused) and delete its files."""
        if self.process is not None and self.process.poll() is None:
            self.resume()
            self.process.send_signal(signal.SIGQUIT)  # immediate shutdown
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def private_postgres() -> PostgresCluster:
    """A new private PostgreSQL server; skipped without PostgreSQL's programs, a failure in CI."""
    bindir = postgres_bindir()
    if bindir is None:
        message = "PostgreSQL's server programs (initdb, postgres) are not installed"
        if IN_CI:
            pytest.fail(f"{message} (CI=true: missing services are failures)")
        pytest.skip(message)
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("running as root needs a postgres user to run PostgreSQL as")
    return PostgresCluster(bindir, free_port())


class PrivateRedis:
    """A ``redis-server`` of one test on a free port, without persistence: stopped and started
    again, it comes back empty (a Redis restart that loses its data). Never the shared Redis."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 10) -> None:
        server = shutil.which("redis-server")
        if server is None:
            if os.environ.get("CI") == "true":
                pytest.fail("redis-server is not installed (CI=true: missing services are failures)")
            pytest.skip("redis-server is not installed")
        command = [server, *f"--port {self.port} --bind 127.0.0.1 --appendonly no".split(), "--save", ""]
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, preexec_fn=die_with_parent
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not start in {timeout} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        """Gone at once, with everything it held (SIGKILL: no save, no goodbye to clients)."""
        if self.process is not None and self.process.poll() is None:
            self.resume()
            self.process.kill()
            self.process.wait()

    def restart_empty(self) -> None:
        self.stop()
        self.start()

    def pause(self) -> None:
        """Frozen (SIGSTOP): connections stay open and nothing is answered until :meth:`resume`."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
