"""Benchmark a kit list view against plain DRF and raw Django, served by gunicorn.

    python bench/run.py            # full run (about 2 minutes)
    python bench/run.py --quick    # smoke run (about 20 seconds)

It creates a SQLite database with items in a temporary folder, starts gunicorn with one sync worker
(``bench.settings``: ``CONN_MAX_AGE`` set, authentication off), checks that the three cases answer
the same 20 rows, then loads each case with wrk (or ``bench/loadgen.py`` when wrk is not installed)
from a second process on 127.0.0.1. Cases are measured in interleaved rounds; the table shows the
median round of each case and its ratio to plain DRF measured in the same run. Nothing is
installed: ``apt-get install wrk`` for the preferred load generator.

A second table gives the CPU time of one request through Django's WSGI handler (all middleware, no
server, no network) measured in this process: on a shared machine, where other processes take the
cores, it shows the framework's own cost when the requests per second cannot.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERY = {
    "kit": "/kit/items?is_active=true&count__ge=10&category={category}",
    "drf": "/drf/items?is_active=true&count__gte=10&category={category}",
    "raw": "/raw/items?is_active=true&count__gte=10&category={category}",
}
LABELS = {
    "kit": "(a) kit ListCreateModelView",
    "drf": "(b) plain DRF ModelViewSet",
    "raw": "(c) raw Django JsonResponse",
}


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float


def create_database(path: Path, rows: int) -> int:
    """Create and fill the database; return the id of the category the benchmark filters on."""
    os.environ["BENCH_DB"] = str(path)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tests.example.models import Category, Item

    call_command("migrate", verbosity=0)
    categories = Category.objects.bulk_create([Category(name=f"category {n}") for n in range(5)])
    Item.objects.bulk_create(
        Item(
            name=f"item {n}",
            count=n % 50,
            price=f"{n % 997}.{n % 100:02d}",
            is_active=n % 3 != 0,
            category=categories[n % len(categories)],
        )
        for n in range(rows)
    )
    connection.close()
    return categories[0].pk


def start_server(port: int, database: Path) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_DB": str(database)}
    command = [
        sys.executable, "-m", "gunicorn", "bench.wsgi:application",
        "--workers", "1", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def fetch_ids(url: str) -> list[int]:
    with urllib.request.urlopen(url) as response:
        assert response.status == 200, (url, response.status)
        body = json.load(response)
    rows = body["results"] if "results" in body else body["data"]
    return [row["id"] for row in rows]


def check_same_rows(urls: dict[str, str]) -> None:
    ids = {case: fetch_ids(url) for case, url in urls.items()}
    first = next(iter(ids.values()))
    if len(first) != 20 or any(other != first for other in ids.values()):
        raise SystemExit(f"the cases do not answer the same 20 rows: {ids}")


def run_wrk(url: str, seconds: float, connections: int) -> Result:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise SystemExit(f"errors while loading {url}:\n{output}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)$", output, re.MULTILINE))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return Result(rate, _ms(latency["50"]), _ms(latency["99"]))


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_loadgen(url: str, seconds: float, connections: int) -> Result:
    command = [sys.executable, "-m", "bench.loadgen", url, str(seconds), str(connections)]
    output = json.loads(subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout)
    if output["failures"]:
        raise SystemExit(f"{output['failures']} failed requests while loading {url}")
    latencies = sorted(output["latencies"])
    p50, p99 = (latencies[int(len(latencies) * q)] * 1000 for q in (0.50, 0.99))
    return Result(output["requests"] / output["seconds"], p50, p99)


def cpu_ms_per_request(paths: dict[str, str], requests: int) -> dict[str, float]:
    """CPU milliseconds per request of each path through Django's WSGI handler, in this process."""
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()

    def call(path: str) -> None:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": route, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        }  # fmt: skip
        statuses: list[str] = []
        b"".join(handler(environ, lambda status, headers, *_: statuses.append(status)))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{path} answered {statuses[0]}")

    costs: dict[str, list[float]] = {case: [] for case in paths}
    for _ in range(3):  # interleaved rounds; the median is kept
        for case, path in paths.items():
            for _ in range(requests // 10):  # warm up
                call(path)
            start = time.process_time()
            for _ in range(requests):
                call(path)
            costs[case].append((time.process_time() - start) / requests * 1000)
    return {case: sorted(values)[1] for case, values in costs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="short rounds, for a smoke run")
    parser.add_argument("--seconds", type=float, help="duration of one measurement (default 10, quick 3)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per case (default 3, quick 1)")
    parser.add_argument("--connections", type=int, default=2, help="concurrent connections (default 2)")
    parser.add_argument("--rows", type=int, default=2000, help="items in the database (default 2000)")
    parser.add_argument("--port", type=int, default=8899)
    parser.add_argument("--loadgen", choices=["wrk", "python"], help="default: wrk when installed")
    args = parser.parse_args()
    seconds = args.seconds or (3 if args.quick else 10)
    rounds = args.rounds or (1 if args.quick else 3)
    use_wrk = args.loadgen == "wrk" or (args.loadgen is None and shutil.which("wrk") is not None)
    load = run_wrk if use_wrk else run_loadgen

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        category = create_database(database, args.rows)
        server = start_server(args.port, database)
        try:
            urls = {
                case: f"http://127.0.0.1:{args.port}{query.format(category=category)}"
                for case, query in QUERY.items()
            }
            check_same_rows(urls)
            for url in urls.values():  # warm up: imports, connection, FilterSet and serializer caches
                load(url, 1, args.connections)
            results: dict[str, list[Result]] = {case: [] for case in urls}
            for _ in range(rounds):
                for case, url in urls.items():
                    results[case].append(load(url, seconds, args.connections))
        finally:
            server.terminate()
            server.wait()
        paths = {case: query.format(category=category) for case, query in QUERY.items()}
        cpu = cpu_ms_per_request(paths, 100 if args.quick else 500)

    medians = {case: _median(runs) for case, runs in results.items()}
    baseline = medians["drf"].requests_per_second
    tool = "wrk" if use_wrk else "bench/loadgen.py"
    setup = f"{rounds} round(s) of {seconds:g} s per case, {args.connections} connections, {tool}"
    print(f"\n{setup}, {args.rows} rows\n")
    print("| case | req/s | p50 ms | p99 ms | req/s vs (b) |")
    print("|---|---:|---:|---:|---:|")
    for case, result in medians.items():
        ratio = result.requests_per_second / baseline
        rate, p50, p99 = result.requests_per_second, result.p50_ms, result.p99_ms
        print(f"| {LABELS[case]} | {rate:.0f} | {p50:.2f} | {p99:.2f} | {ratio:.2f}x |")
    print("\nIn-process CPU time per request (Django WSGI handler, all middleware, no server)\n")
    print("| case | CPU ms/request | speed vs (b) |")
    print("|---|---:|---:|")
    for case, cost in cpu.items():
        print(f"| {LABELS[case]} | {cost:.2f} | {cpu['drf'] / cost:.2f}x |")


def _median(runs: list[Result]) -> Result:
    return sorted(runs, key=lambda run: run.requests_per_second)[len(runs) // 2]


if __name__ == "__main__":
    main()
