"""What the benchmark scripts share: the data, the servers, the load generator, in-process requests."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Fixture:
    """What the requests need: a category to filter on, an item to retrieve, a bearer token."""

    category: int
    item: int | None
    token: str


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def setup_django(database_url: str, cache_url: str) -> None:
    """Configure this process for ``bench.settings`` on the given database and cache."""
    os.environ.update(
        BENCH_DATABASE_URL=database_url, BENCH_CACHE_URL=cache_url, DJANGO_SETTINGS_MODULE="bench.settings"
    )
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate(database_url: str) -> None:
    """Drop and create the database named in ``database_url``."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the benchmark database's name must contain 'bench'")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def fill(rows: int) -> Fixture:
    """Migrate, add ``rows`` items in 5 categories and a user allowed to read them; warm nothing."""
    from django.contrib.auth.models import Permission, User
    from django.core.management import call_command
    from django.db import connection

    from kit.authentication.jwt.tokens import AccessToken
    from kit.authorization.models import Right
    from tests.example.models import Category, Item

    call_command("migrate", verbosity=0)
    categories = Category.objects.bulk_create([Category(name=f"category {n}") for n in range(5)])
    add_items(rows, categories[0].pk, len(categories))
    user = User.objects.create_user("bench", password="bench-password")
    Right.objects.create(user=user, resource="items", operation="read")  # the kit's rights
    user.user_permissions.add(Permission.objects.get(codename="view_item"))  # DRF's model permissions
    item = Item.objects.order_by("-pk").values_list("pk", flat=True).first()
    token = str(AccessToken.for_user(user))
    connection.close()
    return Fixture(categories[0].pk, item, token)


def add_items(rows: int, first_category: int, categories: int, start: int = 0) -> None:
    """Insert items ``start`` to ``start + rows - 1`` (in batches; all fields set, as a service would)."""
    import uuid
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from tests.example.models import Item

    epoch = datetime(2026, 1, 1, tzinfo=UTC)
    for offset in range(start, start + rows, 10_000):
        Item.objects.bulk_create(
            Item(
                name=f"item {n}",
                count=n % 50,
                price=Decimal(f"{n % 997}.{n % 100:02d}"),
                is_active=n % 3 != 0,
                uid=uuid.UUID(int=n + 1),
                created_at=epoch + timedelta(seconds=n, microseconds=n % 1000),
                category_id=first_category + n % categories,
            )
            for n in range(offset, min(offset + 10_000, start + rows))
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(settings: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    """gunicorn, one sync worker, ``bench.wsgi`` with ``settings``; returns once it accepts connections."""
    command = [
        sys.executable, "-m", "gunicorn", "bench.wsgi:application", "--workers", "1",
        "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    return start_process(command, settings, port, env, f"gunicorn ({settings})")


def start_process(
    command: list[str], settings: str, port: int, env: dict[str, str], name: str
) -> subprocess.Popen:
    """Run a server ``command`` with ``settings``; return once ``port`` accepts connections."""
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": settings},
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"{name} did not start")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children (a gunicorn master and its worker)."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    total = 0
    for each in pids:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def settled_cpu_seconds(pid: int, timeout: float = 2.0) -> float:
    """:func:`cpu_seconds` once the server stopped using CPU (it finishes the requests still in
    flight when a load ends: they belong to that load, not to the next)."""
    deadline = time.monotonic() + timeout
    last = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = cpu_seconds(pid)
        if now == last:
            return now
        last = now
    return last


def worker_rss_mb(server: subprocess.Popen) -> float:
    """Resident memory of the server's (single) worker process, in MB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    status = Path(f"/proc/{children[0]}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def fetch_json(url: str, token: str | None = None) -> Any:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200, (url, response.status)
        return json.load(response)


def has_wrk() -> bool:
    return shutil.which("wrk") is not None


def load(url: str, seconds: float, connections: int, token: str | None = None) -> Load:
    """Load ``url`` for ``seconds`` from a second process: wrk when installed, else ``bench.loadgen``."""
    return _wrk(url, seconds, connections, token) if has_wrk() else _loadgen(url, seconds, connections, token)


def _wrk(url: str, seconds: float, connections: int, token: str | None) -> Load:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", url]
    if token:
        command[1:1] = ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise SystemExit(f"errors while loading {url}:\n{output}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)$", output, re.MULTILINE))
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None or len(latency) != 2:
        raise SystemExit(f"unexpected output of wrk for {url}:\n{output}")
    return Load(float(rate.group(1)), _ms(latency["50"]), _ms(latency["99"]))


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def _loadgen(url: str, seconds: float, connections: int, token: str | None) -> Load:
    command = [sys.executable, "-m", "bench.loadgen", url, str(seconds), str(connections), token or ""]
    output = json.loads(subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout)
    if output["failures"]:
        raise SystemExit(f"{output['failures']} failed requests while loading {url}")
    latencies = sorted(output["latencies"])
    p50, p99 = (latencies[int(len(latencies) * q)] * 1000 for q in (0.50, 0.99))
    return Load(output["requests"] / output["seconds"], p50, p99)


class InProcess:
    """Requests through Django's WSGI handler in this process (all middleware, no server)."""

    def __init__(self) -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()

    def get(self, path: str, token: str | None = None) -> bytes:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": route, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        }  # fmt: skip
        if token:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        statuses: list[str] = []
        body = b"".join(self.handler(environ, lambda status, headers, *_: statuses.append(status)))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{path} answered {statuses[0]}: {body[:300]!r}")
        return body

    def queries(self, path: str, token: str | None = None) -> int:
        """The number of SQL queries one request runs (after a warm-up request)."""
        from django.db import connection

        self.get(path, token)
        executed: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            self.get(path, token)
        return len(executed)

    def cpu_ms(self, path: str, token: str | None, requests: int) -> float:
        """CPU milliseconds per request (of ``requests`` in a row)."""
        start = time.process_time()
        for _ in range(requests):
            self.get(path, token)
        return (time.process_time() - start) / requests * 1000

    def latency_ms(self, path: str, token: str | None, requests: int) -> float:
        """Median wall-clock milliseconds per request."""
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            self.get(path, token)
            times.append((time.perf_counter() - start) * 1000)
        return sorted(times)[len(times) // 2]
