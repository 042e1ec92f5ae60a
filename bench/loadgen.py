"""A small HTTP load generator for machines without wrk.

    python -m bench.loadgen URL SECONDS CONNECTIONS [TOKEN]


Each connection is a thread sending GET requests back to back for SECONDS; prints one JSON object
with the request count, the elapsed time, the latencies (seconds) and the number of non-2xx answers.
"""

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def hammer(
    url: str, until: float, latencies: list[float], failures: list[int], headers: dict[str, str]
) -> None:
    parts = urlsplit(url)
    target = f"{parts.path}?{parts.query}" if parts.query else parts.path
    connection = http.client.HTTPConnection(parts.hostname, parts.port)
    while time.perf_counter() < until:
        start = time.perf_counter()
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        if not 200 <= response.status < 300:
            failures.append(response.status)
        if response.will_close:
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port)
    connection.close()


def main() -> None:
    url, seconds, connections = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    token = sys.argv[4] if len(sys.argv) > 4 else ""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    latencies: list[float] = []
    failures: list[int] = []
    start = time.perf_counter()
    threads = [
        threading.Thread(target=hammer, args=(url, start + seconds, latencies, failures, headers))
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    print(
        json.dumps(
            {
                "requests": len(latencies),
                "seconds": elapsed,
                "latencies": latencies,
                "failures": len(failures),
            }
        )
    )


if __name__ == "__main__":
    main()
