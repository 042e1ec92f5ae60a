"""Helpers for the template tests: run commands in a generated project with a clean environment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

from kit.testing.workers import die_with_parent
from tests.ops.processes import free_port, socket_accepts

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "project_template"
BIN = Path(sys.executable).parent
PYTHON = sys.executable

#: pytest arguments for a generated project: without the kit's own (slow to import) test-only plugins.
PROJECT_PYTEST_ARGS = ["-q", "-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest"]
PROJECT_PYTEST = [PYTHON, "-m", "pytest", *PROJECT_PYTEST_ARGS]


#: Variables of the kit's own test run that must not leak into a generated project's commands.
LEAKING = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "TEST_DATABASE_URL",
    "CACHE_URL",
    "CACHE_NAMESPACE",
    "EMAIL_URL",
    "REDIS_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "LISTEN",
    "PORT",
    "PYTEST_ADDOPTS",
    "PYTEST_CURRENT_TEST",
    "PYTEST_XDIST_WORKER",
)

#: A production environment: everything ``manage.py check --deploy`` asks for.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "prod-7Hq2#x$Lm9&(vR4!tZ8^wK1@pN6*sB3=dF5+gJ0-yC2)eU7%aQ9_oI4",
    "ALLOWED_HOSTS": "api.example.com",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    # A cache every process shares (kit.W015); the suite's Redis, as CI provides it.
    "CACHE_URL": os.environ.get("KIT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
    # A channel layer every server process shares (kit.W040); only checked, never connected to.
    "CHANNEL_LAYER_URL": os.environ.get("KIT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
}


def project_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The current environment without the kit's test settings, plus ``extra``."""
    env = {key: value for key, value in os.environ.items() if key not in LEAKING}
    env.update(extra or {})
    return env


def run(
    args: Sequence[str | Path], cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure, fail with its output."""
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=project_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"{args} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def wait_for_http(url: str, process: subprocess.Popen[str], timeout: float = 30) -> None:
    """Wait until ``url`` answers (any HTTP status) or the serving process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def get(url: str, headers: Mapping[str, str] | None = None) -> tuple[int, str]:
    """GET ``url``: (status, body) also for error statuses."""
    request = urllib.request.Request(url, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def project_files(root: Path) -> dict[str, str]:
    """Every file below ``root`` (relative path -> text), skipping caches."""
    return {
        str(path.relative_to(root)): path.read_text()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and ".pytest_cache" not in path.parts
    }


#: The template service's admin (an API key acting as it is the suite's credential); a primary key
#: far from the small ids generated requests try, so that no test deletes or edits it by chance.
ADMIN_ID = 7340113


class ProjectServer:
    """``manage.py serve`` (one gunicorn worker) of a generated project on a free port of its own.

    ``url`` is the server's root, ``log`` its output (appended to across restarts). Started again
    after :meth:`kill`, it serves on the same port: a member of a service coming back.
    """

    def __init__(self, root: Path, env: Mapping[str, str], log: Path) -> None:
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "LISTEN": "127.0.0.1", "PORT": str(self.port), "PYTHONUNBUFFERED": "1"}
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(
                [PYTHON, "manage.py", "serve", "--workers", "1"],
                cwd=self.root,
                env=project_env(self.env),
                stdout=output,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent,
            )
        try:
            wait_for_http(f"{self.url}/health/live", self.process)  # type: ignore[arg-type]
        except AssertionError as error:
            raise AssertionError(f"{error}:\n{self.log.read_text()}") from None

    def kill(self) -> None:
        """SIGKILL gunicorn's master and its workers at once: the member vanishes mid-service."""
        if self.process is None or self.process.poll() is not None:
            return
        workers = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        for pid in [self.process.pid, *map(int, workers.stdout.split())]:
            os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while socket_accepts(self.port):  # until the last worker holding the socket is gone
            assert time.monotonic() < deadline, f"{self.url} still accepts connections after SIGKILL"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def logged(self, text: str) -> bool:
        """Whether the server's output has ``text``."""
        return text in self.log.read_text()


class TemplateService:
    """A project generated from the template, served by ``manage.py serve``.

    Production settings (DEBUG off, gunicorn) on a SQLite file beside ``manage.py``, plus ``env``.
    :meth:`start` generates it, migrates it, creates an admin with an API key (``api_key``) and
    serves it once (``url``); :meth:`serve` starts another server of it (a member of the service).
    """

    def __init__(self, root: Path, env: Mapping[str, str] | None = None) -> None:
        self.root = root
        self.env = {
            "DEBUG": "false",
            "SECRET_KEY": "template-service-7Hq2#x$Lm9&(vR4!tZ8^wK1@pN6*sB3=dF5+gJ0",
            "ALLOWED_HOSTS": "127.0.0.1",
            **(env or {}),
        }
        self.api_key = ""
        self.servers: list[ProjectServer] = []

    @property
    def url(self) -> str:
        return self.servers[0].url

    def start(self) -> None:
        self.generate()
        self.add_admin()
        self.serve()

    def generate(self) -> None:
        run([BIN / "kit-startproject", self.root.name, "--directory", self.root], cwd=self.root.parent)

    def add_admin(self) -> None:
        """Migrate, then create the admin and an API key of it."""
        run([PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0"], self.root, self.env)
        create_admin = (
            "from django.contrib.auth import get_user_model; get_user_model().objects.create_superuser("
            f"'root', 'root@example.com', 'Root-pass-4821', id={ADMIN_ID})"
        )
        run([PYTHON, "manage.py", "shell", "--verbosity", "0", "-c", create_admin], self.root, self.env)
        created = run([PYTHON, "manage.py", "create_api_key", "root", "--name", "tests"], self.root, self.env)
        self.api_key = created.stdout.split()[-1]

    def serve(self) -> ProjectServer:
        """Start one more server of the project (its log ``<name>-<n>.log`` beside the project)."""
        log = self.root.parent / f"{self.root.name}-{len(self.servers) + 1}.log"
        server = ProjectServer(self.root, self.env, log)
        self.servers.append(server)
        server.start()
        return server

    def stop(self) -> None:
        for server in self.servers:
            server.stop()
