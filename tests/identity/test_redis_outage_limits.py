"""Login throttles and the logs while the cache's Redis is stopped or paused (issue 13, item 1).

Real processes, as in :mod:`tests.identity.test_redis_outage`: a private ``redis-server`` and a
``manage.py serve`` (one gunicorn worker) using it. DRF's throttles read their history with
``cache.get``, which django-redis answers with a miss when Redis fails: every login was allowed.
"""

from __future__ import annotations

import re

import pytest

from tests.identity.test_redis_outage import PASSWORD, login, partition, private_redis, start_server
from tests.ops.processes import http_json
from tests.passes import sqlite_run_only

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), sqlite_run_only]

__all__ = ["partition", "private_redis", "start_server"]  # the fixtures


def attempts(base: str, count: int, username: str = "alice") -> list[int]:
    """``count`` logins with a wrong password; their statuses."""
    return [
        http_json("POST", f"{base}/api/auth/token", {"username": username, "password": "wrong"}, timeout=30)[
            0
        ]
        for _ in range(count)
    ]


def test_logins_stay_bounded_while_redis_is_stopped(private_redis, start_server):
    base, _env = start_server(private_redis.url, AUTH_THROTTLE_RATE="5/minute")
    login(base, "bob")  # the server works, with its cache
    private_redis.stop()
    statuses = attempts(base, 100)
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) <= 5, statuses  # was 100: every attempt let through
    private_redis.start()  # empty: the limit starts again from the shared store
    assert http_json("POST", f"{base}/api/auth/token", {"username": "carol", "password": PASSWORD})[0] == 200


def test_logins_stay_bounded_while_redis_is_paused(private_redis, start_server):
    base, _env = start_server(private_redis.url, AUTH_THROTTLE_RATE="3/minute")
    private_redis.pause()
    try:
        statuses = attempts(base, 8)
    finally:
        private_redis.resume()
    assert statuses.count(401) <= 3 and statuses.count(429) >= 5, statuses


def test_an_outage_logs_one_warning(private_redis, start_server, tmp_path):
    """Was a traceback for every cache call of every request ("Exception ignored")."""
    base, _env = start_server(private_redis.url, AUTH_THROTTLE_RATE="1000/minute")
    tokens = login(base, "alice")
    private_redis.stop()
    for _ in range(20):
        assert http_json("GET", f"{base}/api/v1/items", token=tokens["access"], timeout=30)[0] == 200
        attempts(base, 1)
    private_redis.start()
    assert http_json("GET", f"{base}/api/v1/items", token=tokens["access"], timeout=30)[0] == 200
    private_redis.stop()
    attempts(base, 5)
    (log,) = tmp_path.glob("server-*.log")
    records = re.split(r"\n(?=\d{4}-\d\d-\d\d )", log.read_text())
    cache_records = [record.splitlines()[0] for record in records if " kit.cache: " in record]
    assert not any("Exception ignored" in record for record in records)
    assert sum("unreachable (" in record for record in cache_records) == 2, cache_records  # per outage
    assert sum(record.endswith("reachable again.") for record in cache_records) == 1, cache_records
    with_traceback = [record.splitlines()[0] for record in records if "Traceback (most recent" in record]
    assert len(with_traceback) == 2 and all("unreachable (" in line for line in with_traceback), (
        with_traceback
    )
