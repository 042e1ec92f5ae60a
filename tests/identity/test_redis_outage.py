"""Revocations, deactivations and rights hold while the cache's Redis is stopped, paused,
partitioned or restarted empty, and after it is back (issue 13, item 1).

Real processes: a private ``redis-server`` (never the shared one), a ``manage.py serve`` (gunicorn)
whose ``CACHE_URL`` points at it (directly, or through a TCP proxy this test can cut), and
``manage.py shell`` processes making changes. A token revoked, a user deactivated or a right
removed is answered 401 or 403 (the database decides while Redis cannot), never 200.
"""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Iterator

import pytest

from tests.identity.test_second_process import database_url, manage
from tests.ops.processes import (
    PrivateRedis,
    free_port,
    http_json,
    process_env,
    start_manage,
    stop,
    wait_until_serving,
)
from tests.passes import sqlite_run_only

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), sqlite_run_only]

PASSWORD = "pw-for-tests-1234"

SETUP = f"""
from django.contrib.auth import get_user_model
from kit.models import Right
for name in ("alice", "bob", "carol"):
    user = get_user_model().objects.create_user(name, password="{PASSWORD}")
    Right.objects.create(user=user, resource="items", operation="read")
"""
DEACTIVATE_BOB = """
from django.contrib.auth import get_user_model
bob = get_user_model().objects.get(username="bob")
bob.is_active = False
bob.save()
"""
REMOVE_CAROLS_RIGHT = """
from kit.models import Right
for right in Right.objects.filter(user__username="carol"):
    right.delete()
"""


class Partition:
    """A TCP proxy in front of Redis that can be cut: while cut, nothing goes through in either
    direction and new connections hang (a network partition, not a refused connection)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.connected = threading.Event()
        self.connected.set()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        self.connected.clear()

    def heal(self) -> None:
        """Connections open during the cut are reset (as TCP would after a partition)."""
        for sock in self.sockets:
            sock.close()
        self.sockets.clear()
        self.connected.set()

    def close(self) -> None:
        self.listener.close()
        self.heal()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.sockets.append(client)
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        self.connected.wait()
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
        except OSError:
            client.close()
            return
        self.sockets.append(upstream)
        for source, target in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if not self.connected.is_set():
                    return  # dropped: the connection hangs until healed (then reset)
                target.sendall(data)
        except OSError:
            pass
        finally:
            if self.connected.is_set():
                for sock in (source, target):
                    sock.close()


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path / "redis.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def partition(private_redis) -> Iterator[Partition]:
    proxy = Partition(private_redis.port)
    yield proxy
    proxy.close()


@pytest.fixture
def start_server(tmp_path):
    """Start ``manage.py serve`` on the test database (with alice, bob and carol), its cache at
    the URL given (logins unthrottled unless ``environment`` says otherwise)."""
    processes: list[subprocess.Popen] = []

    def start(cache_url: str, **environment: str) -> tuple[str, dict[str, str]]:
        env = process_env(
            DATABASE_URL=database_url(tmp_path),
            TEST_DATABASE_URL=None,
            CACHE_URL=cache_url,
            **{"WEB_CONCURRENCY": "1", "AUTH_THROTTLE_RATE": "off", **environment},
        )
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "shell", "-c", SETUP)
        port = free_port()
        log = tmp_path / f"server-{port}.log"
        process = start_manage("serve", "--bind", f"127.0.0.1:{port}", env=env, log=log)
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(f"{base}/health/live", process, log, timeout=60)
        return base, env

    yield start
    for process in processes:
        stop(process)


def login(base: str, username: str) -> dict[str, str]:
    status, body = http_json("POST", f"{base}/api/auth/token", {"username": username, "password": PASSWORD})
    assert status == 200, body
    return body.get("data", body)  # type: ignore[union-attr]


def items(base: str, token: str) -> int:
    return http_json("GET", f"{base}/api/v1/items", token=token, timeout=30)[0]


def logout(base: str, tokens: dict[str, str]) -> None:
    status, body = http_json(
        "POST", f"{base}/api/auth/logout", {"refresh": tokens["refresh"]}, token=tokens["access"], timeout=30
    )
    assert status == 204, body


def refused(status: int) -> bool:
    """401 (unauthenticated), 403 (no right) or 503: never an answer."""
    return status in (401, 403, 503)


class Accounts:
    """alice (logged out before the outage), bob and carol, logged in, each allowed to list items."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.alice_old = login(base, "alice")
        logout(base, self.alice_old)
        self.alice, self.bob, self.carol = login(base, "alice"), login(base, "bob"), login(base, "carol")
        self.warm()

    def warm(self) -> None:
        """Every entry cached: the revocations, the accounts and their permission sets."""
        for _ in range(2):
            assert items(self.base, self.alice_old["access"]) == 401
            for tokens in (self.alice, self.bob, self.carol):
                assert items(self.base, tokens["access"]) == 200

    def change_during_outage(self, env: dict[str, str]) -> None:
        """alice logs out (through the server), bob is deactivated and carol loses her right
        (by other processes)."""
        logout(self.base, self.alice)
        manage(env, "shell", "-c", DEACTIVATE_BOB)
        manage(env, "shell", "-c", REMOVE_CAROLS_RIGHT)

    def assert_all_refused(self) -> None:
        answers = {
            "alice's token revoked before": items(self.base, self.alice_old["access"]),
            "alice's token revoked during": items(self.base, self.alice["access"]),
            "bob deactivated": items(self.base, self.bob["access"]),
            "carol's right removed": items(self.base, self.carol["access"]),
        }
        assert all(refused(status) for status in answers.values()), answers


def test_stopped_redis(private_redis, start_server):
    base, env = start_server(private_redis.url)
    accounts = Accounts(base)
    private_redis.stop()
    assert refused(items(base, accounts.alice_old["access"]))  # was 200: a failed read was a miss
    assert items(base, accounts.carol["access"]) == 200  # the database answers for the others
    accounts.change_during_outage(env)
    accounts.assert_all_refused()
    private_redis.start()  # empty
    accounts.assert_all_refused()


def test_paused_redis(private_redis, start_server):
    base, env = start_server(private_redis.url)
    accounts = Accounts(base)
    private_redis.pause()
    try:
        assert refused(items(base, accounts.alice_old["access"]))
        accounts.change_during_outage(env)
        assert refused(items(base, accounts.alice["access"]))
    finally:
        private_redis.resume()
    accounts.assert_all_refused()  # the entries cached before the pause are not trusted


def test_redis_restarted_empty(private_redis, start_server):
    base, _env = start_server(private_redis.url)
    accounts = Accounts(base)
    private_redis.restart_empty()
    accounts.warm()  # was 200 for alice's old token: the denylist lived in Redis only


def test_partitioned_server(partition, start_server, private_redis):
    base, env = start_server(partition.url)
    accounts = Accounts(base)
    partition.cut()
    try:
        assert refused(items(base, accounts.alice_old["access"]))
        accounts.change_during_outage(_environment_for(env, partition.url))
        assert refused(items(base, accounts.alice["access"]))
    finally:
        partition.heal()
    accounts.assert_all_refused()


def test_partitioned_writer(partition, start_server, private_redis):
    """The server reaches Redis; the processes making the changes do not: their invalidations,
    recorded in the database, are applied by the server before it trusts its cache again (it
    checks at most every second: each change takes longer than that)."""
    base, env = start_server(private_redis.url)
    accounts = Accounts(base)
    partition.cut()
    try:
        writer = _environment_for(env, partition.url)
        manage(writer, "shell", "-c", DEACTIVATE_BOB)
        manage(writer, "shell", "-c", REMOVE_CAROLS_RIGHT)
    finally:
        partition.heal()
    assert items(base, accounts.alice["access"]) == 200
    for tokens in (accounts.bob, accounts.carol):
        assert refused(items(base, tokens["access"]))


def _environment_for(env: dict[str, str], cache_url: str) -> dict[str, str]:
    return {**env, "CACHE_URL": cache_url}
