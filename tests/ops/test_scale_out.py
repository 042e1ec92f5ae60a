"""Scale out: two servers and two workers on one PostgreSQL database and one Redis.

Real processes of the test project, configured by the environment only, as in production: two
``manage.py serve`` (gunicorn) on two ports and two ``manage.py runworker``, on a database this
module creates (``test_kit_scale_<pid>``) and on the test Redis (cache and task queue). It proves
what docs/deployment.md ("Scaling out") promises:

- a rights change made through one server is seen by the other on its next request;
- a token revoked by logout on one server is refused by the other;
- tasks enqueued through both servers each run exactly once, spread over both workers;
- each server answers its own probes, and both stay ready while one worker of two is left.

It runs in the PostgreSQL pass of the suite only: that pass runs once per ``scripts/test`` (the
SQLite pass runs twice, on two Django lines), and its database server is there by definition
(``scripts/test`` fails an unreachable one with CI=true). Redis comes from ``KIT_TEST_REDIS_URL``:
unreachable, the module is skipped, or fails with CI=true.
"""

import os
import re
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import redis
from django.db import connection
from rq import Queue
from rq.job import Job

from kit.tasks.queues import rq_queue_name
from tests.ops.processes import (
    free_port,
    http_json,
    manage,
    process_env,
    start_manage,
    stop,
    wait_until_serving,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

TAG = f"scale{os.getpid()}"  # the service name (cache key prefix) and the task queue of this run
TASKS = 20
PASSWORDS = {"alice": "alice-password-0123", "bob": "bob-password-0123"}

CREATE_USERS = """
from django.contrib.auth import get_user_model
from kit.models import Right
User = get_user_model()
User.objects.create_user("alice", password="alice-password-0123")
bob = User.objects.create_user("bob", password="bob-password-0123")
Right.objects.create(user=bob, resource="items", operation="read")
"""


@dataclass
class Cluster:
    servers: list[str]  # base URLs of server A and server B
    server_processes: list[subprocess.Popen]
    workers: list[subprocess.Popen]
    worker_logs: list[Path]
    database: str  # psycopg conninfo of the shared database


@pytest.fixture(scope="module")
def postgres() -> dict[str, object]:
    """How to reach the PostgreSQL server of the suite's PostgreSQL pass."""
    if connection.vendor != "postgresql":
        pytest.skip("runs once per suite run, in its PostgreSQL pass (DATABASE_URL on PostgreSQL)")
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": int(db["PORT"] or 5432),
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }


@pytest.fixture(scope="module")
def shared_database(postgres):
    """A database of its own, created empty and dropped at the end: (DATABASE_URL, conninfo)."""
    name = f"test_kit_scale_{os.getpid()}"
    with psycopg.connect(dbname="postgres", autocommit=True, **postgres) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = quote(str(postgres["user"] or ""), safe="")
    if postgres["password"]:
        auth += ":" + quote(str(postgres["password"]), safe="")
    try:
        yield (
            f"postgres://{auth}@{postgres['host']}:{postgres['port']}/{name}",
            psycopg.conninfo.make_conninfo(dbname=name, **postgres),
        )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **postgres) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def cluster(shared_database, redis_url, tmp_path_factory):
    """Migrate once, then start servers A and B and two workers; stop them all whatever happens."""
    database_url, conninfo = shared_database
    logs = tmp_path_factory.mktemp("scale-out")
    env = process_env(
        DATABASE_URL=database_url,
        TEST_DATABASE_URL=None,
        CACHE_URL=redis_url,  # permission versions, the token denylist and throttling, shared
        TASKS_BACKEND="rq",
        REDIS_URL=redis_url,
        TASK_QUEUES=TAG,  # a queue of this run: no other test's worker takes its tasks
        SERVICE_NAME=TAG,  # also the cache key prefix: nothing cached by other runs is seen
        WEB_CONCURRENCY="1",
    )
    for step in (("migrate", "--no-input"), ("shell", "--no-imports", "-c", CREATE_USERS)):
        result = manage(*step, env=env, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
    ports = [free_port(), free_port()]
    assert ports[0] != ports[1]
    servers = [f"http://127.0.0.1:{port}" for port in ports]
    processes: list[subprocess.Popen] = []
    try:
        server_logs = [logs / f"server-{name}.log" for name in "ab"]
        server_processes = [
            start_manage("serve", "--bind", f"127.0.0.1:{port}", env=env, log=log)
            for port, log in zip(ports, server_logs, strict=True)
        ]
        processes += server_processes
        worker_logs = [logs / f"worker-{n}.log" for n in (1, 2)]
        workers = [start_manage("runworker", "--with-scheduler", env=env, log=log) for log in worker_logs]
        processes += workers
        for base, process, log in zip(servers, server_processes, server_logs, strict=True):
            wait_until_serving(f"{base}/health/live", process, log, timeout=60)
        deadline = time.monotonic() + 30
        while not all(http_json("GET", f"{base}/health/ready")[0] == 200 for base in servers):
            if time.monotonic() > deadline or any(worker.poll() is not None for worker in workers):
                answers = [http_json("GET", f"{base}/health/ready") for base in servers]
                output = "\n".join(log.read_text() for log in worker_logs)
                pytest.fail(f"the servers did not get ready: {answers}\n{output}")
            time.sleep(0.2)
        yield Cluster(servers, server_processes, workers, worker_logs, conninfo)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            stop(process)
        forget_redis_keys(redis_url)


def forget_redis_keys(redis_url: str) -> None:
    """Delete this run's cache entries and task queue from the shared test Redis."""
    client = redis.Redis.from_url(redis_url)
    Queue(rq_queue_name(TAG), connection=client).delete(delete_jobs=True)
    for pattern in (f"*{TAG}:*", f"rq:*{TAG}*"):  # under the test run's CACHE_NAMESPACE
        keys = list(client.scan_iter(pattern, count=1000))
        if keys:
            client.delete(*keys)


def login(server: str, username: str) -> tuple[str, str]:
    """(access, refresh) tokens from ``server``."""
    credentials = {"username": username, "password": PASSWORDS[username]}
    status, body = http_json("POST", f"{server}/api/auth/token", credentials)
    assert status == 200, body
    tokens = body.get("data") or body
    return tokens["access"], tokens["refresh"]


def items_status(server: str, token: str) -> int:
    return http_json("GET", f"{server}/api/v1/items", token=token)[0]


def change_right(server: str, *, grant: bool) -> None:
    body = {"username": "alice", "permission": "items:read", "grant": grant}
    status, answer = http_json("POST", f"{server}/ops-test/rights", body)
    assert status == 200, answer


def test_a_rights_change_through_one_server_is_seen_by_the_other_at_once(cluster):
    a, b = cluster.servers
    access, _ = login(a, "alice")
    assert items_status(b, access) == 403  # both servers now hold alice's empty set in the cache
    assert items_status(a, access) == 403

    change_right(a, grant=True)
    assert items_status(b, access) == 200

    change_right(a, grant=False)
    assert items_status(b, access) == 403

    change_right(b, grant=True)
    assert items_status(a, access) == 200


def test_a_token_revoked_by_logout_on_one_server_is_refused_by_the_other(cluster):
    a, b = cluster.servers
    access, refresh = login(a, "bob")
    assert items_status(b, access) == 200  # a token of server A is good on server B

    status, body = http_json("POST", f"{a}/api/auth/logout", {"refresh": refresh}, token=access)
    assert status == 204, body

    assert items_status(b, access) == 401
    assert http_json("POST", f"{b}/api/auth/token/refresh", {"refresh": refresh})[0] == 401
    assert items_status(a, access) == 401


def test_tasks_through_both_servers_run_exactly_once_over_both_workers(cluster, redis_url):
    names = [f"scaled-item-{n}" for n in range(TASKS)]
    task_ids = []
    for n, name in enumerate(names):
        server = cluster.servers[n % 2]
        status, body = http_json("POST", f"{server}/ops-test/items", {"name": name, "queue": TAG})
        assert status == 202, body
        task_ids.append(body["task_id"])

    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 30
    while True:
        jobs = Job.fetch_many(task_ids, connection=client)
        states = [job.get_status() if job else None for job in jobs]
        if all(state in ("finished", "failed") for state in states) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert states == ["finished"] * TASKS, "\n".join(log.read_text() for log in cluster.worker_logs)

    with psycopg.connect(cluster.database) as database:
        rows = database.execute(
            "SELECT name, COUNT(*) FROM example_item WHERE name LIKE 'scaled-item-%%' GROUP BY name"
        ).fetchall()
    assert sorted(rows) == sorted((name, 1) for name in names)

    runs = [  # what each worker says it ran (the log line comes before the insert)
        Counter(re.findall(r"Creating item (scaled-item-\d+)$", log.read_text(), re.MULTILINE))
        for log in cluster.worker_logs
    ]
    assert runs[0] + runs[1] == Counter(names)  # every task, each exactly once
    assert all(runs), f"one worker ran everything: {runs}"
    assert len({job.worker_name for job in jobs}) == 2


def parent_pid(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^PPid:\s+(\d+)$", status, re.MULTILINE).group(1))


def test_each_server_answers_its_own_probes_and_one_worker_is_enough(cluster):
    pids = []
    for base, server in zip(cluster.servers, cluster.server_processes, strict=True):
        status, ready = http_json("GET", f"{base}/health/ready")
        assert status == 200, ready
        assert ready["checks"]["task_queue"]["status"] == "ok"
        status, about = http_json("GET", f"{base}/status")
        assert status == 200
        assert about["name"] == TAG
        assert parent_pid(about["pid"]) == server.pid  # answered by a gunicorn worker of this server
        pids.append(about["pid"])
    assert pids[0] != pids[1]

    stop(cluster.workers[0])  # warm shutdown: the worker leaves the registry
    assert [http_json("GET", f"{base}/health/ready")[0] for base in cluster.servers] == [200, 200]

    stop(cluster.workers[1])
    for base in cluster.servers:
        status, problem = http_json("GET", f"{base}/health/ready")
        assert status == 503
        assert "task_queue" in problem["detail"]
        assert TAG in problem["checks"]["task_queue"]["error"]
