"""Benchmark the kit's list and retrieve against plain DRF and raw Django doing the same work.

    python bench/run.py            # full run (about 3 minutes)
    python bench/run.py --quick    # smoke run (under 2 minutes)

It creates a SQLite database with items in a temporary folder (or recreates ``--database``, a
PostgreSQL URL), starts gunicorn with one sync worker serving every case (``bench.settings``: the
kit's middleware and logging, persistent connections, the shared cache ``BENCH_CACHE_URL``: Redis
when one answers at ``--redis``), checks that each kit case answers the same rows as its baseline,
then loads each case with wrk (or ``bench/loadgen.py`` when wrk is not installed) from a second
process on 127.0.0.1, in interleaved rounds (the order of the cases reversed every other round).
For each case it prints the queries per request, the median round's req/s, p50 and p99, and the
ratios to plain DRF and raw Django: the median of the ratios measured within each round (a shared
machine drifts between rounds far more than within one), with their range for the targets; then
the same from the server's CPU time per request answered in each round (user + system time of
gunicorn, read once it is idle: it follows the code served more than the machine's other load).
Then the CPU time of one request through Django's WSGI handler in this process (on a shared machine it
shows the framework's own cost when req/s cannot), and the resident memory of a worker of the
kit's server against a plain Django + DRF project (``bench.baseline_settings``) serving its
own list.

The cases and their targets (issue #8): the full list (JWT, rights, 3-field filter, page with a
count, envelope, request id, access log) at least 2.5x plain DRF's req/s; the retrieve at least 2x;
the bare list (no filter, no authentication) at least 0.9x raw Django's ``.values()`` +
``JsonResponse``; memory per worker at most 1.2x plain DRF's.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: bench/ is not a path entry

from bench.common import (
    Fixture,
    InProcess,
    Load,
    fetch_json,
    fill,
    free_port,
    has_wrk,
    load,
    recreate,
    settled_cpu_seconds,
    setup_django,
    start_server,
    stop_server,
    worker_rss_mb,
)

FULL_QUERY = "is_active=true&count__{ge}=10&category={category}"


@dataclass(frozen=True)
class Case:
    group: str
    label: str
    path: str
    authenticated: bool = False


CASES = [
    Case("list", "kit ListCreateModelView", "/kit/items?" + FULL_QUERY.replace("{ge}", "ge"), True),
    Case("list", "plain DRF ModelViewSet", "/drf/items?" + FULL_QUERY.replace("{ge}", "gte"), True),
    Case("retrieve", "kit RetrieveModelView", "/kit/items/{item}", True),
    Case("retrieve", "plain DRF ModelViewSet", "/drf/items/{item}", True),
    Case("bare list", "kit ListModelView", "/kit/bare"),
    Case("bare list", "raw Django JsonResponse", "/raw/bare"),
    Case("bare list", "plain DRF ListAPIView", "/drf/bare"),
]
TARGETS = {  # group: (baseline label, minimum ratio)
    "list": ("plain DRF ModelViewSet", 2.5),
    "retrieve": ("plain DRF ModelViewSet", 2.0),
    "bare list": ("raw Django JsonResponse", 0.9),
}
MEMORY_TARGET = 1.2


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="short rounds, for a smoke run")
    parser.add_argument("--seconds", type=float, help="duration of one measurement (default 1)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per case (default 15, quick 5)")
    parser.add_argument("--connections", type=int, default=2, help="concurrent connections (default 2)")
    parser.add_argument("--rows", type=int, default=2000, help="items in the database (default 2000)")
    parser.add_argument(
        "--database", help="a PostgreSQL URL whose database (name with 'bench') is recreated; default: SQLite"
    )
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/12", help="the shared cache, when it answers"
    )
    args = parser.parse_args()
    seconds = args.seconds or 1
    rounds = args.rounds or (5 if args.quick else 15)

    with tempfile.TemporaryDirectory() as folder:
        database = args.database or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        if args.database:
            recreate(args.database)
        cache = args.redis if _answers(args.redis) else "locmemcache://"
        setup_django(database, cache)
        from django.core.cache import cache as default_cache

        default_cache.clear()
        fixture = fill(args.rows)
        paths = {case: case.path.format(category=fixture.category, item=fixture.item) for case in CASES}
        env = {"BENCH_DATABASE_URL": database, "BENCH_CACHE_URL": cache}
        port = free_port()
        server = start_server("bench.settings", port, env)
        try:
            base = f"http://127.0.0.1:{port}"
            check_same_rows(base, paths, fixture)
            for case in CASES:  # warm up: imports, connection, caches
                load(base + paths[case], 1, args.connections, _token(case, fixture))
            runs: dict[Case, list[Load]] = {case: [] for case in CASES}
            served_cpu: dict[Case, list[float]] = {case: [] for case in CASES}
            for round_ in range(rounds):
                for case in CASES if round_ % 2 == 0 else CASES[::-1]:
                    before = settled_cpu_seconds(server.pid)
                    result = load(base + paths[case], seconds, args.connections, _token(case, fixture))
                    requests = max(result.requests_per_second * seconds, 1)
                    served_cpu[case].append((settled_cpu_seconds(server.pid) - before) * 1000 / requests)
                    runs[case].append(result)
        finally:
            stop_server(server)
        client = InProcess()
        queries = {case: client.queries(paths[case], _token(case, fixture)) for case in CASES}
        cpu = cpu_per_request(client, paths, fixture, 150 if args.quick else 450)
        memory = memory_per_worker(env, fixture, seconds, args.connections)

    tool = "wrk" if has_wrk() else "bench/loadgen.py"
    print(f"\n{rounds} round(s) of {seconds:g} s per case, {args.connections} connections, {tool}, "
          f"{args.rows} rows, {database.split(':')[0]}, cache {cache.split(':')[0]}\n")  # fmt: skip
    print_served(runs, queries)
    print_served_cpu(served_cpu)
    print_cpu(cpu)
    print_memory(memory)


def _answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


def _token(case: Case, fixture: Fixture) -> str | None:
    return fixture.token if case.authenticated else None


def check_same_rows(base: str, paths: dict[Case, str], fixture: Fixture) -> None:
    """Each case of a group answers the same objects (ids) as the others."""
    for group in TARGETS:
        answers = {}
        for case in (case for case in CASES if case.group == group):
            body = fetch_json(base + paths[case], _token(case, fixture))
            rows = body.get("data", body.get("results", body))
            answers[case.label] = [row["id"] for row in rows] if isinstance(rows, list) else [rows["id"]]
        first = next(iter(answers.values()))
        if not first or any(ids != first for ids in answers.values()):
            raise SystemExit(f"the {group} cases do not answer the same objects: {answers}")


def cpu_per_request(
    client: InProcess, paths: dict[Case, str], fixture: Fixture, requests: int
) -> dict[Case, float]:
    """CPU ms per request of each case: the best of 15 interleaved rounds (a quiet moment for each)."""
    for case in CASES:
        client.cpu_ms(paths[case], _token(case, fixture), 20)
    best: dict[Case, float] = {}
    for _ in range(15):
        for case in CASES:
            cost = client.cpu_ms(paths[case], _token(case, fixture), requests // 15)
            best[case] = min(best.get(case, cost), cost)
    return best


def memory_per_worker(
    env: dict[str, str], fixture: Fixture, seconds: float, connections: int
) -> dict[str, float]:
    """Worker RSS (MB) of the kit's server after serving its list, and of a plain DRF project."""
    servers = {
        "kit": ("bench.settings", f"/kit/items?{FULL_QUERY.replace('{ge}', 'ge')}"),
        "plain DRF": ("bench.baseline_settings", f"/drf/items?{FULL_QUERY.replace('{ge}', 'gte')}"),
    }
    memory = {}
    for name, (settings, path) in servers.items():
        port = free_port()
        server = start_server(settings, port, env)
        try:
            load(
                f"http://127.0.0.1:{port}{path.format(category=fixture.category)}",
                seconds,
                connections,
                fixture.token,
            )
            memory[name] = worker_rss_mb(server)
        finally:
            stop_server(server)
    return memory


def _ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}x"


def print_served(runs: dict[Case, list[Load]], queries: dict[Case, int]) -> None:
    print("| case | queries | req/s | p50 ms | p99 ms | vs plain DRF | vs raw Django | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for case, loads in runs.items():
        drf, raw, baseline, minimum = _compared_with(case)
        target = ""
        if baseline is not None:
            ratios = _round_ratios(loads, runs[baseline])
            target = (
                f"{_verdict(ratios, minimum)}: >= {minimum}x {baseline.label.split()[0]} {_spread(ratios)}"
            )
        middle = sorted(loads, key=lambda load: load.requests_per_second)[len(loads) // 2]
        print(
            f"| {case.group}: {case.label} | {queries[case]} | {middle.requests_per_second:.0f} | "
            f"{middle.p50_ms:.2f} | {middle.p99_ms:.2f} | "
            f"{median(_round_ratios(loads, runs[drf])):.2f}x | "
            f"{f'{median(_round_ratios(loads, runs[raw])):.2f}x' if raw else '-'} | {target} |"
        )


def print_served_cpu(served_cpu: dict[Case, list[float]]) -> None:
    """The server's CPU per request answered: it follows the code served more than the machine's load."""
    print("\nServer CPU time per request (gunicorn's user + system time over the requests of a round)\n")
    print("| case | CPU ms/request | speed vs plain DRF | speed vs raw Django | target |")
    print("|---|---:|---:|---:|---|")
    for case, costs in served_cpu.items():
        drf, raw, baseline, minimum = _compared_with(case)
        target = ""
        if baseline is not None:
            ratios = _cost_ratios(costs, served_cpu[baseline])
            target = f"{_verdict(ratios, minimum)} {_spread(ratios)}"
        speed_raw = f"{median(_cost_ratios(costs, served_cpu[raw])):.2f}x" if raw else "-"
        print(
            f"| {case.group}: {case.label} | {median(costs):.3f} | "
            f"{median(_cost_ratios(costs, served_cpu[drf])):.2f}x | {speed_raw} | {target} |"
        )


def _compared_with(case: Case) -> tuple[Case, Case | None, Case | None, float]:
    """The plain DRF and raw Django cases of ``case``'s group; for a kit case, its target's
    baseline (else None); the target's minimum ratio."""
    group = [other for other in CASES if other.group == case.group]
    drf = next(other for other in group if other.label.startswith("plain DRF"))
    raw = next((other for other in group if other.label.startswith("raw")), None)
    baseline_label, minimum = TARGETS[case.group]
    baseline = (
        next(other for other in group if other.label == baseline_label)
        if case.label.startswith("kit")
        else None
    )
    return drf, raw, baseline, minimum


def _verdict(ratios: list[float], minimum: float) -> str:
    return "met" if median(ratios) >= minimum else "MISSED"


def _spread(ratios: list[float]) -> str:
    return f"(rounds {min(ratios):.2f}x to {max(ratios):.2f}x)"


def _cost_ratios(costs: list[float], baselines: list[float]) -> list[float]:
    """Speed against the baseline (its cost over this case's), round by round."""
    return [base / cost for cost, base in zip(costs, baselines, strict=True)]


def _round_ratios(loads: list[Load], baselines: list[Load]) -> list[float]:
    """req/s against the baseline's, round by round."""
    pairs = zip(loads, baselines, strict=True)
    return [load.requests_per_second / base.requests_per_second for load, base in pairs]


def print_cpu(cpu: dict[Case, float]) -> None:
    print("\nCPU time per request in-process (Django's WSGI handler, all middleware, no server)\n")
    print("| case | CPU ms/request | speed vs plain DRF | speed vs raw Django |")
    print("|---|---:|---:|---:|")
    for case, cost in cpu.items():
        drf = next(cpu[c] for c in CASES if c.group == case.group and c.label.startswith("plain DRF"))
        raw = next((cpu[c] for c in CASES if c.group == case.group and c.label.startswith("raw")), None)
        print(
            f"| {case.group}: {case.label} | {cost:.3f} | {_ratio(drf, cost)} | "
            f"{_ratio(raw, cost) if raw else '-'} |"
        )


def print_memory(memory: dict[str, float]) -> None:
    ratio = memory["kit"] / memory["plain DRF"]
    verdict = "met" if ratio <= MEMORY_TARGET else "MISSED"
    print("\nResident memory of one gunicorn worker after serving its list\n")
    print("| server | RSS MB | vs plain DRF |")
    print("|---|---:|---:|")
    print(f"| kit (bench.settings) | {memory['kit']:.1f} | {ratio:.2f}x ({verdict}: <= {MEMORY_TARGET}x) |")
    print(f"| plain Django + DRF (bench.baseline_settings) | {memory['plain DRF']:.1f} | 1.00x |")


if __name__ == "__main__":
    main()
