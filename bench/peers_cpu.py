"""The peers' Django services (DRF, raw Django, the kit) in-process: CPU and calls per request.

A shared machine makes req/s noisy; this measures what the code costs. Each peer's ``svc``
project runs in its own process, on this venv's Django, against its seeded SQLite file
(``peers/setup.sh`` or ``peers/seed.py``). For every endpoint it prints the CPU microseconds per
request through Django's WSGI handler (best of ``--rounds`` rounds of ``--requests``) and the Python
function calls per request counted by cProfile (deterministic); ``--profile`` prints the functions
taking the most time for one endpoint. ``--instructions`` counts instead the CPU instructions per
request under valgrind's callgrind (deterministic within 0.1%, whatever the machine's load): 20
warm-up requests, then ``--requests`` requests inside one ``functools.reduce`` call, the only
part collected (``PYTHONHASHSEED=0``).

    .venv/bin/python bench/peers_cpu.py --peers ../shared/peers
    .venv/bin/python bench/peers_cpu.py --peers ../shared/peers --only kit --profile health
    .venv/bin/python bench/peers_cpu.py --peers ../shared/peers --instructions --requests 50
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENDPOINTS = {
    "list": {"kit": "/items?page=1&page_size=20", "other": "/items?limit=20&offset=0"},
    "filter": {"kit": "/items?name__icontains=7&page_size=20", "other": "/items?name__icontains=7&limit=20"},
    "health": {"kit": "/health", "other": "/health"},
}
PEERS = ("rawdjango", "drf", "kit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=Path, required=True, help="the peers folder (../shared/peers)")
    parser.add_argument("--only", nargs="*", default=list(PEERS), choices=PEERS)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", choices=tuple(ENDPOINTS), help="print the top functions of one endpoint")
    parser.add_argument("--instructions", action="store_true", help="count instructions with callgrind")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", choices=tuple(ENDPOINTS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child and args.endpoint:
        serve_counted(args.child, args.endpoint, args.requests)
        return
    if args.child:
        child(args.child, args.rounds, args.requests, args.profile)
        return
    if args.instructions:
        print_instructions(args.peers, args.only, args.requests)
        return
    results = {}
    for peer in args.only:
        command = [sys.executable, __file__, "--peers", str(args.peers), "--child", peer]
        command += ["--rounds", str(args.rounds), "--requests", str(args.requests)]
        if args.profile:
            command += ["--profile", args.profile]
        path = os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(args.peers / peer)]))
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "svc.settings", "PYTHONPATH": path}
        output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
        *profile, last = output.rstrip("\n").split("\n")
        if profile:
            print(f"== {peer}\n" + "\n".join(profile))
        results[peer] = json.loads(last)
    print("| peer | " + " | ".join(f"{name} µs CPU | {name} calls" for name in ENDPOINTS) + " |")
    print("|---|" + "---:|---:|" * len(ENDPOINTS))
    for peer, figures in results.items():
        cells = " | ".join(f"{figures[name]['us']:.0f} | {figures[name]['calls']}" for name in ENDPOINTS)
        print(f"| {peer} | {cells} |")


def print_instructions(peers: Path, only: list[str], requests: int) -> None:
    """Instructions per request of each peer and endpoint, counted by callgrind."""
    print("| peer | " + " | ".join(f"{name} instructions" for name in ENDPOINTS) + " |")
    print("|---|" + "---:|" * len(ENDPOINTS))
    for peer in only:
        env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "svc.settings", "PYTHONHASHSEED": "0",
            "PYTHONPATH": os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(peers / peer)])),
        }  # fmt: skip
        counts = []
        for name in ENDPOINTS:
            with tempfile.TemporaryDirectory() as folder:
                out = Path(folder) / "callgrind.out"
                command = [
                    "valgrind", "--tool=callgrind", "--collect-atstart=no",
                    "--toggle-collect=functools_reduce", f"--callgrind-out-file={out}",
                    sys.executable, __file__, "--peers", str(peers),
                    "--child", peer, "--endpoint", name, "--requests", str(requests),
                ]  # fmt: skip
                subprocess.run(command, env=env, check=True, capture_output=True)
                total = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
                assert total, f"no total in callgrind's output for {peer} {name}"
                counts.append(int(total.group(1)) // requests)
        print(f"| {peer} | " + " | ".join(f"{count:,}" for count in counts) + " |")


def serve_counted(peer: str, endpoint: str, requests: int) -> None:
    """20 warm-up requests, then ``requests`` inside one ``functools.reduce`` (what callgrind counts)."""
    application = load(peer)
    path = ENDPOINTS[endpoint]["kit" if peer == "kit" else "other"]
    for _ in range(20):
        get(application, path)
    functools.reduce(lambda _, __: get(application, path), range(requests), b"")


def load(peer: str):  # type: ignore[no-untyped-def]
    if peer == "kit":
        from kit.wsgi import get_wsgi_application
    else:
        from django.core.wsgi import get_wsgi_application
    return get_wsgi_application()


def child(peer: str, rounds: int, requests: int, profile: str | None) -> None:
    application = load(peer)
    paths = {name: urls["kit" if peer == "kit" else "other"] for name, urls in ENDPOINTS.items()}
    for path in paths.values():
        for _ in range(50):
            get(application, path)
    best = dict.fromkeys(paths, float("inf"))
    for _ in range(rounds):
        for name, path in paths.items():
            start = time.process_time()
            for _ in range(requests):
                get(application, path)
            best[name] = min(best[name], (time.process_time() - start) / requests * 1e6)
    figures = {}
    for name, path in paths.items():
        profiler = cProfile.Profile()
        profiler.runcall(get, application, path)
        stats = pstats.Stats(profiler)
        figures[name] = {"us": best[name], "calls": stats.total_calls}  # type: ignore[attr-defined]
        if name == profile:
            profiler = cProfile.Profile()
            for _ in range(requests):
                profiler.runcall(get, application, path)
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
            print(out.getvalue())
    print(json.dumps(figures))


def get(application, path: str) -> bytes:  # type: ignore[no-untyped-def]
    route, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": route, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
    }  # fmt: skip
    statuses: list[str] = []
    body = b"".join(application(environ, lambda status, headers, *_: statuses.append(status)))
    if not statuses[0].startswith("200"):
        raise SystemExit(f"{path} answered {statuses[0]}: {body[:300]!r}")
    return body


if __name__ == "__main__":
    main()
