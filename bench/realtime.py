"""WebSocket benchmarks (issue #14): HTTP under ASGI against gunicorn, broadcast latency, idle
connections' memory, messages per second through an authenticated consumer.

1. HTTP: the kit's list (``/kit/items``, as in ``bench/run.py``) served by gunicorn (one sync
   worker, as ``manage.py serve``) and by uvicorn (one process, the ASGI application of
   ``manage.py serve --websockets``), in interleaved rounds; the ratio is the median of the
   per-round ratios.
2. Broadcast: N connections subscribed to ``items`` on one uvicorn process (in-memory layer),
   opened by P client processes (``--client-processes``: the clients' decoding does not run in
   the process that times them); one item created and published in a transaction on the server
   (``publish`` of ``bench/realtime_consumers.py``, which answers the commit's time); the time
   from the commit to each client's event (``time.monotonic``, one clock for every process of
   the machine): p50, p99 and the last, the median over 7 changes (``--raw-clients``: clients
   that read their sockets without a WebSocket library, timing the first bytes of the event's
   frame, a few microseconds of client work per event); and the server's CPU time per
   change (``/proc/<pid>/task/*/schedstat``: robust on a shared machine, where the wall times
   follow the other load).
3. Idle memory: the server's resident memory before and after opening the N connections.
4. Messages per second: C clients send ``ping`` (authenticated connection; ``items:read`` checked
   for each message against the rights cache) and await each ``pong``.

    .venv/bin/python bench/realtime.py [--connections 1000] [--client-processes 2] [--raw-clients]
                                       [--rounds 9] [--port N] [--skip-http]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing
import os
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    cpu_seconds,
    free_port,
    load,
    setup_django,
    start_process,
    start_server,
    stop_server,
)
from bench.run import FULL_QUERY  # noqa: E402


def start_uvicorn(port: int, env: dict[str, str]) -> subprocess.Popen:
    """uvicorn serving ``bench.asgi`` (one process, the kit's server class); returns once it answers."""
    code = (
        "import django, os; django.setup(); "
        "from kit.realtime.server import serve; from bench.asgi import application; "
        f"serve(application, '127.0.0.1', {port}, log_level='warning')"
    )
    return start_process([sys.executable, "-c", code], "bench.realtime_settings", port, env, "uvicorn")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def thread_cpu_seconds(pid: int) -> float:
    """CPU time of a process's threads, to the nanosecond (``/proc/<pid>/task/*/schedstat``)."""
    tasks = Path(f"/proc/{pid}/task")
    return sum(int((task / "schedstat").read_text().split()[0]) for task in tasks.iterdir()) / 1e9


def http_rounds(env: dict[str, str], path: str, token: str, rounds: int) -> None:
    gunicorn_port, uvicorn_port = free_port(), free_port()
    gunicorn = start_server("bench.realtime_settings", gunicorn_port, env)
    uvicorn = start_uvicorn(uvicorn_port, env)
    urls = {
        "gunicorn sync": f"http://127.0.0.1:{gunicorn_port}{path}",
        "uvicorn ASGI": f"http://127.0.0.1:{uvicorn_port}{path}",
    }
    try:
        for url in urls.values():
            load(url, 1, 2, token)
        runs: dict[str, list] = {name: [] for name in urls}
        cpu: dict[str, list[float]] = {name: [] for name in urls}
        pids = {"gunicorn sync": gunicorn.pid, "uvicorn ASGI": uvicorn.pid}
        for round_ in range(rounds):
            for name in list(urls) if round_ % 2 == 0 else list(urls)[::-1]:
                before = cpu_seconds(pids[name])
                result = load(urls[name], 1, 2, token)
                requests = result.requests_per_second  # one-second rounds
                cpu[name].append((cpu_seconds(pids[name]) - before) * 1000 / max(requests, 1))
                runs[name].append(result)
    finally:
        stop_server(gunicorn)
        stop_server(uvicorn)
    ratios = [
        a.requests_per_second / g.requests_per_second
        for a, g in zip(runs["uvicorn ASGI"], runs["gunicorn sync"], strict=True)
    ]
    print("\n| server | req/s | p50 ms | p99 ms | server CPU ms per request |\n|---|---:|---:|---:|---:|")
    for name, loads in runs.items():
        median = sorted(loads, key=lambda item: item.requests_per_second)[len(loads) // 2]
        print(
            f"| {name} | {median.requests_per_second:.0f} | {median.p50_ms:.2f} | {median.p99_ms:.2f} "
            f"| {statistics.median(cpu[name]):.2f} |"
        )
    print(
        f"\nuvicorn / gunicorn req/s: median {statistics.median(ratios):.2f}x "
        f"(rounds {min(ratios):.2f}x to {max(ratios):.2f}x)"
    )


async def open_subscribers(url: str, token: str, count: int) -> list:
    headers = {"Authorization": f"Bearer {token}"}

    async def one() -> object:
        websocket = await connect(url, additional_headers=headers, open_timeout=60, max_queue=None)
        await websocket.send(json.dumps({"type": "subscribe", "resource": "items"}))
        assert json.loads(await websocket.recv())["type"] == "subscribed"
        return websocket

    sockets = []
    for start in range(0, count, 100):  # in batches: the server accepts a few hundred at once
        sockets += await asyncio.gather(*(one() for _ in range(min(100, count - start))))
    return sockets


def client_process(url: str, token: str, count: int, pipe, raw: bool) -> None:
    """A process of ``count`` subscribed clients: for each ``go`` from ``pipe``, the time each
    connection received the next event (``raw``: sockets read without a WebSocket library)."""
    if raw:
        serve_raw_clients(url, token, count, pipe)
    else:
        asyncio.run(serve_clients(url, token, count, pipe))


def raw_subscriber(url: str, token: str) -> socket.socket:
    """A socket upgraded to a WebSocket by hand and subscribed to ``items``."""
    address = urllib.parse.urlsplit(url)
    sock = socket.create_connection((address.hostname, address.port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET {address.path} HTTP/1.1\r\nHost: {address.netloc}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Authorization: Bearer {token}\r\n\r\n"
        ).encode()
    )
    received = b""
    while b"\r\n\r\n" not in received:
        received += sock.recv(4096)
    assert received.startswith(b"HTTP/1.1 101"), received
    payload, mask = b'{"type": "subscribe", "resource": "items"}', os.urandom(4)
    masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
    sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)
    while b'"subscribed"' not in received:
        received += sock.recv(4096)
    return sock


def serve_raw_clients(url: str, token: str, count: int, pipe) -> None:
    """Clients costing a few microseconds per event: the time a socket first holds the event's frame."""
    sockets = [raw_subscriber(url, token) for _ in range(count)]
    selector = selectors.DefaultSelector()
    for sock in sockets:
        selector.register(sock, selectors.EVENT_READ)
    pipe.send("ready")
    while pipe.recv() == "go":
        pending, arrivals = {sock: b"" for sock in sockets}, []
        pipe.send("waiting")
        while pending:
            for key, _ in selector.select(timeout=30):
                data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                if key.fileobj not in pending:
                    continue
                pending[key.fileobj] += data  # type: ignore[index]
                if b'"type":"event"' in pending[key.fileobj]:  # type: ignore[index]
                    arrivals.append(time.monotonic())
                    del pending[key.fileobj]  # type: ignore[arg-type]
        pipe.send(arrivals)
    for sock in sockets:
        sock.close()


async def serve_clients(url: str, token: str, count: int, pipe) -> None:
    sockets = await open_subscribers(url, token, count)

    async def received(websocket) -> float:
        message = json.loads(await websocket.recv())
        assert message["type"] == "event", message
        return time.monotonic()

    pipe.send("ready")
    while await asyncio.to_thread(pipe.recv) == "go":
        waiting = [asyncio.ensure_future(received(websocket)) for websocket in sockets]
        pipe.send("waiting")
        pipe.send(await asyncio.gather(*waiting))
    await asyncio.gather(*(websocket.close() for websocket in sockets))


def start_clients(url: str, token: str, count: int, processes: int, raw: bool) -> list:
    """``processes`` client processes holding ``count`` subscribed connections in all; their pipes."""
    context = multiprocessing.get_context("spawn")
    pipes = []
    for index in range(processes):
        share = count // processes + (1 if index < count % processes else 0)
        ours, theirs = context.Pipe()
        context.Process(target=client_process, args=(url, token, share, theirs, raw), daemon=True).start()
        pipes.append(ours)
    for pipe in pipes:
        assert pipe.recv() == "ready"
    return pipes


async def broadcast(ws: str, token: str, pipes: list, repeat: int, server: int) -> tuple[list, list[float]]:
    """Per change: the sorted delays (ms) from the commit to each client's event; the CPU time (ms)
    the ``server`` process spent on the change (the insert, the commit, the fan-out).

    The change is made by ``PublishConsumer`` (``bench/realtime_consumers.py``): an item created
    in a transaction, its event published, the commit's ``time.monotonic()`` answered.
    """
    runs, cpu = [], []
    headers = {"Authorization": f"Bearer {token}"}
    async with connect(f"{ws}/publish", additional_headers=headers) as publisher:
        for _ in range(repeat):
            for pipe in pipes:
                pipe.send("go")
            for pipe in pipes:
                assert pipe.recv() == "waiting"
            await asyncio.sleep(0.3)  # every client awaits its socket
            before = thread_cpu_seconds(server)
            await publisher.send('{"type": "publish"}')
            reply = json.loads(await publisher.recv())
            assert reply["type"] == "published", reply
            committed = reply["data"]["committed"]
            arrivals = [arrival for pipe in pipes for arrival in await asyncio.to_thread(pipe.recv)]
            cpu.append((thread_cpu_seconds(server) - before) * 1000)
            runs.append(sorted((arrival - committed) * 1000 for arrival in arrivals))
    for pipe in pipes:
        pipe.send("stop")
    return runs, cpu


async def ping_rate(url: str, token: str, clients: int, messages: int) -> float:
    headers = {"Authorization": f"Bearer {token}"}

    async def client() -> None:
        async with connect(url, additional_headers=headers) as websocket:
            for _ in range(messages):
                await websocket.send('{"type": "ping"}')
                reply = json.loads(await websocket.recv())
                assert reply["type"] == "pong", reply

    await asyncio.gather(*(client() for _ in range(2)))  # warm up
    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return clients * messages / (time.perf_counter() - start)


async def websocket_cases(env: dict[str, str], token: str, count: int, clients: argparse.Namespace) -> None:
    processes, raw = max(clients.client_processes, 1), clients.raw_clients
    port = clients.port or free_port()
    server = start_uvicorn(port, env)
    ws = f"ws://127.0.0.1:{port}/ws"
    try:
        rate = await ping_rate(f"{ws}/ping", token, 10, 300)
        before = rss_mb(server.pid)
        pipes = await asyncio.to_thread(start_clients, f"{ws}/v1/events", token, count, processes, raw)
        await asyncio.sleep(1)
        after = rss_mb(server.pid)
        runs, cpu = await broadcast(ws, token, pipes, 7, server.pid)
    finally:
        stop_server(server)
    p50 = statistics.median(run[len(run) // 2] for run in runs)
    p99 = statistics.median(run[int(len(run) * 0.99) - 1] for run in runs)
    last = statistics.median(run[-1] for run in runs)
    print(
        f"\nbroadcast to {count} subscribers in {processes} {'raw ' if raw else ''}client processes "
        f"(median of {len(runs)} "
        f"changes), from the commit: p50 {p50:.1f} ms, p99 {p99:.1f} ms, last {last:.1f} ms; "
        f"server CPU per change {statistics.median(cpu):.1f} ms"
    )
    print(
        f"idle connections: {after - before:.1f} MB for {count} "
        f"({(after - before) * 1024 / count:.1f} KiB each); server RSS {after:.0f} MB"
    )
    print(f"messages through PingConsumer (10 clients, rights checked per message): {rate:.0f}/s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--connections", type=int, default=1000, help="subscribed connections (default 1000)")
    parser.add_argument(
        "--client-processes", type=int, default=2, help="processes of subscribers (default 2)"
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port of the WebSocket server (default: any free)"
    )
    parser.add_argument(
        "--raw-clients", action="store_true", help="subscribers read sockets without a library"
    )
    parser.add_argument("--rounds", type=int, default=9, help="interleaved HTTP rounds (default 9)")
    parser.add_argument("--skip-http", action="store_true", help="WebSocket cases only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        setup_django(database, "locmemcache://")
        from bench.common import fill
        from kit.authorization.models import Right

        fixture = fill(2000)
        Right.objects.create(user_id=1, resource="items", operation="create")
        env = {"BENCH_DATABASE_URL": database, "BENCH_CACHE_URL": "locmemcache://"}
        path = "/kit/items?" + FULL_QUERY.replace("{ge}", "ge").format(category=fixture.category)
        if not args.skip_http:
            http_rounds(env, path, fixture.token, args.rounds)
        asyncio.run(websocket_cases(env, fixture.token, args.connections, args))


if __name__ == "__main__":
    main()
