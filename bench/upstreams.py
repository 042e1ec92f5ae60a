"""The upstream client's cost: its overhead per call over a bare httpx call, and ``gather``'s fan-out.

    .venv/bin/python bench/upstreams.py

A local upstream (a threaded HTTP server in a child process, keep-alive, a small envelope) answers
``/fast`` at once and ``/slow`` after 50 ms. ``overhead``: interleaved rounds of N sequential GETs
through a bare pooled ``httpx.Client`` (``.json()`` decoded) and through ``upstream("bench")``
(headers, breaker, retry policy, bounded read, envelope unwrapped); the overhead is the median over
rounds of the difference of the calling thread's CPU time per call (wall time per call is shown,
but on a shared machine it mostly measures the machine). ``gather``: 10 calls of 50 ms through
``gather()``; the median wall time of 15 runs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
ROUNDS = 9
CALLS = 500
GATHER_RUNS = 15
BODY = json.dumps({"data": {"id": 7, "name": "Ada"}, "meta": {"request_id": "bench"}}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/slow"):
            time.sleep(0.05)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)


def serve() -> None:
    """The upstream, in a child process: prints its port, serves until killed."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


def per_call(call, calls: int) -> tuple[float, float]:
    """Seconds of wall time and of the calling thread's CPU time per call."""
    wall, cpu = time.perf_counter(), time.thread_time()
    for _ in range(calls):
        call()
    return (time.perf_counter() - wall) / calls, (time.thread_time() - cpu) / calls


def main() -> None:
    django.setup()
    child = subprocess.Popen([sys.executable, __file__, "serve"], stdout=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{child.stdout.readline().strip()}"
    try:
        measure(base)
    finally:
        child.kill()


def measure(base: str) -> None:
    import httpx
    from django.conf import settings

    from kit.services import gather, upstream

    settings.KIT = {**settings.KIT, "UPSTREAMS": {"bench": {"URL": [base]}}}

    bare = httpx.Client(base_url=base, timeout=5)
    client = upstream("bench")
    assert client.get("/fast").data == bare.get("/fast").json()["data"]
    bare_runs, kit_runs = [], []
    for round_ in range(ROUNDS):
        if round_ % 2:
            kit_runs.append(per_call(lambda: client.get("/fast"), CALLS))
            bare_runs.append(per_call(lambda: bare.get("/fast").json(), CALLS))
        else:
            bare_runs.append(per_call(lambda: bare.get("/fast").json(), CALLS))
            kit_runs.append(per_call(lambda: client.get("/fast"), CALLS))
    for label, index in (("wall", 0), ("CPU", 1)):
        bare_us = statistics.median(run[index] for run in bare_runs) * 1e6
        kit_us = statistics.median(run[index] for run in kit_runs) * 1e6
        print(f"per call, {label}: bare httpx {bare_us:.0f} us, upstream() {kit_us:.0f} us")
    overhead = sorted((kit[1] - bare[1]) * 1e6 for bare, kit in zip(bare_runs, kit_runs, strict=True))
    print(
        f"overhead (CPU): median {statistics.median(overhead):.0f} us/call "
        f"(rounds {overhead[0]:.0f} to {overhead[-1]:.0f}); goal < 100 us"
    )

    calls = [lambda: client.get("/slow")] * 10
    gather(*calls)  # opens the 10 connections
    walls = []
    for _ in range(GATHER_RUNS):
        started = time.perf_counter()
        results = gather(*calls)
        walls.append((time.perf_counter() - started) * 1000)
        assert all(result.status == 200 for result in results), results
    walls.sort()
    print(
        f"gather: 10 calls of 50 ms in {statistics.median(walls):.1f} ms median "
        f"({walls[0]:.1f} to {walls[-1]:.1f}); goal < 80 ms"
    )


if __name__ == "__main__":
    serve() if sys.argv[1:] == ["serve"] else main()
