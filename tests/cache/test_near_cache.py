"""The near cache on a real Redis: values served from memory, dropped as soon as Redis reports a
change, and read from Redis whenever the invalidation connection cannot be trusted."""

import subprocess
import sys
import time
import uuid

import pytest
import redis
from django.core.cache import caches
from redis.connection import Connection

from kit.cache import near as near_module
from kit.cache.near import NearCache
from kit.cache.redis_client import NearCacheClient
from kit.conf import ServiceSettings

pytestmark = pytest.mark.redis


@pytest.fixture
def raw(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    return client


@pytest.fixture
def prefix():
    return f"near{uuid.uuid4().hex[:8]}"  # the service's key prefix: a near cache of its own


@pytest.fixture
def near_caches(settings, redis_url, raw, prefix):
    """``near`` (the kit's default client) and ``other`` (django-redis's, as another process)."""
    near = ServiceSettings().load_from_env(
        {"__name__": f"{prefix}.settings"}, environ={"CACHE_URL": redis_url, "DEBUG": "true"}
    )["CACHES"]["default"]
    other = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url, "KEY_PREFIX": prefix}
    settings.CACHES = {"default": near, "other": other}
    return caches["default"], caches["other"]


@pytest.fixture
def reads(monkeypatch):
    """The keys each get/get_many read from Redis (not from memory)."""
    read = []
    original = NearCacheClient._read

    def counted(self, keys):
        read.append(list(keys))
        return original(self, keys)

    monkeypatch.setattr(NearCacheClient, "_read", counted)
    return read


def wait_until(condition, timeout=2.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_the_kit_cache_url_selects_the_near_cache_client_and_it_can_be_turned_off(redis_url):
    def client_class(url):
        settings = ServiceSettings().load_from_env(
            {"__name__": "svc.settings"}, environ={"CACHE_URL": url, "DEBUG": "true"}
        )
        return settings["CACHES"]["default"]["OPTIONS"]["CLIENT_CLASS"]

    assert client_class(redis_url) == "kit.cache.redis_client.NearCacheClient"
    assert client_class(f"{redis_url}?client_class=django_redis.client.DefaultClient") == (
        "django_redis.client.DefaultClient"
    )


def test_the_kit_keys_are_served_from_memory_until_changed(near_caches, reads):
    near, other = near_caches
    other.set("kit:perms:version", "v1")

    assert near.get_many(["kit:perms:version", "kit:account:1"]) == {"kit:perms:version": "v1"}
    assert near.get_many(["kit:perms:version", "kit:account:1"]) == {"kit:perms:version": "v1"}
    assert near.get("kit:account:1", "absent") == "absent"
    assert reads == [[f"{near.make_key('kit:perms:version')}", f"{near.make_key('kit:account:1')}"]]

    other.set("kit:perms:version", "v2")  # another process: Redis reports the change
    other.set("kit:account:1", {"name": "alice"})  # an absent key was remembered as absent
    wait_until(lambda: near.get("kit:perms:version") == "v2")
    wait_until(lambda: near.get("kit:account:1") == {"name": "alice"})
    near.get_many(["kit:perms:version", "kit:account:1"])
    reads.clear()
    assert near.get_many(["kit:perms:version", "kit:account:1"]) == {
        "kit:perms:version": "v2",
        "kit:account:1": {"name": "alice"},
    }
    assert reads == []


def test_a_change_by_this_process_is_read_at_once(near_caches, reads):
    near, _ = near_caches
    for value in range(50):
        near.set("kit:perms:version", value)
        assert near.get("kit:perms:version") == value
    near.delete("kit:perms:version")
    assert near.get("kit:perms:version") is None
    near.set_many({"kit:perms:a": 1, "kit:perms:b": 2})
    assert near.get_many(["kit:perms:a", "kit:perms:b"]) == {"kit:perms:a": 1, "kit:perms:b": 2}
    near.delete_many(["kit:perms:a"])
    assert near.get_many(["kit:perms:a", "kit:perms:b"]) == {"kit:perms:b": 2}
    near.clear()
    assert near.get_many(["kit:perms:a", "kit:perms:b"]) == {}


def test_values_are_copies(near_caches):
    near, _ = near_caches
    near.set("kit:account:1", {"roles": ["reader"]})
    first = near.get("kit:account:1")
    first["roles"].append("admin")
    assert near.get("kit:account:1") == {"roles": ["reader"]}


@pytest.mark.parametrize("key", ["rates", "kit:response:0123", "kit:health:0123"])
def test_other_keys_are_always_read_from_redis(near_caches, reads, raw, key):
    near, other = near_caches
    other.set(key, 1)
    assert near.get(key) == 1
    raw.set(near.make_key(key), other.client.encode(2))
    assert near.get(key) == 2
    assert reads == []  # django-redis's own path
    assert near.client.near_cache()._values == {}


def test_a_flush_drops_every_value(near_caches, raw):
    near, other = near_caches
    other.set("kit:perms:version", "v1")
    assert near.get("kit:perms:version") == "v1"
    raw.flushdb()
    wait_until(lambda: near.get("kit:perms:version") is None)


def test_a_lost_connection_reads_from_redis_until_tracking_again(near_caches, raw, reads, monkeypatch):
    near, other = near_caches
    other.set("kit:perms:version", "v1")
    assert near.get("kit:perms:version") == "v1"
    tracking = near.client.near_cache()._connection
    raw.execute_command("CLIENT", "KILL", "ID", client_id(raw, tracking))
    other.set("kit:perms:version", "v2")  # its invalidation cannot arrive

    assert near.get("kit:perms:version") == "v2"  # the closed connection is noticed first
    assert near.client.near_cache()._connection is None

    monkeypatch.setattr(near_module, "RETRY_SECONDS", 0.0)
    near.client.near_cache()._retry_at = 0.0
    before = len(reads)
    assert near.get("kit:perms:version") == "v2"  # tracking again: read, then kept
    assert near.get("kit:perms:version") == "v2"
    assert len(reads) == before + 1


def client_id(raw, connection):
    """The Redis client id of ``connection`` (found by its local port)."""
    port = connection._sock.getsockname()[1]
    return next(client["id"] for client in raw.client_list() if client["addr"].endswith(f":{port}"))


def near_cache(redis_url, clock=time.monotonic, max_entries=100):
    url = redis.connection.parse_url(redis_url)
    return NearCache(lambda: Connection(protocol=2, **url), ["test:"], max_entries, clock=clock)


def test_values_wait_for_a_recent_answer_from_redis(redis_url, raw):
    now = [0.0]
    cache = near_cache(redis_url, clock=lambda: now[0])
    cache.store(cache.lookup(["test:a"])[1], {"test:a": b"1"})
    assert cache.lookup(["test:a"])[0] == {"test:a": b"1"}

    now[0] = 1.5  # a ping is due: sent, and its pong read by a later lookup
    assert cache.lookup(["test:a"])[0] == {"test:a": b"1"}
    wait_until(lambda: cache.lookup(["test:a"])[0] == {"test:a": b"1"} and cache._ping_at is None)

    raw.execute_command("CLIENT", "PAUSE", 500, "ALL")  # Redis stops answering
    now[0] = 3.0
    assert cache.lookup(["test:a"])[0] == {"test:a": b"1"}  # ping sent, the last pong recent
    now[0] = 6.5
    assert cache.lookup(["test:a"]) == ({}, cache._generation)  # no pong for 3.5 s: untrusted
    assert cache._connection is None
    cache.store(cache._generation, {"test:a": b"stale"})
    assert cache._values == {}


def test_an_idle_process_reads_from_redis_until_its_ping_is_answered(redis_url):
    now = [0.0]
    cache = near_cache(redis_url, clock=lambda: now[0])
    cache.store(cache.lookup(["test:a"])[1], {"test:a": b"1"})
    now[0] = 60.0  # idle for a minute: the connection may have died silently

    assert cache.lookup(["test:a"])[0] == {}
    wait_until(lambda: cache.lookup(["test:a"])[0] == {"test:a": b"1"})


def test_a_value_read_before_a_reported_change_is_not_kept(redis_url, raw):
    cache = near_cache(redis_url)
    _, generation = cache.lookup(["test:a"])
    raw.set("test:a", b"2")  # changed after the value below was read
    wait_until(lambda: cache.lookup(["test:a"])[1] != generation)
    cache.store(generation, {"test:a": b"1"})
    assert cache.lookup(["test:a"])[0] == {}


def test_the_store_keeps_the_newest_entries_up_to_its_size(redis_url):
    cache = near_cache(redis_url, max_entries=2)
    generation = cache.lookup([])[1]
    cache.store(generation, {"test:a": b"1", "test:b": b"2", "test:c": b"3", "other": b"4"})
    assert cache.lookup(["test:a", "test:b", "test:c", "other"])[0] == {"test:b": b"2", "test:c": b"3"}
    cache.store(generation, {"test:b": b"2"})  # kept already: nothing is dropped for it
    assert cache.lookup(["test:b", "test:c"])[0] == {"test:b": b"2", "test:c": b"3"}


FORK_SCRIPT = """
import os, sys
import redis
from redis.connection import Connection
from kit.cache.near import NearCache

url = redis.connection.parse_url(sys.argv[1])
cache = NearCache(lambda: Connection(protocol=2, **url), ["test:"], 100)
cache.store(cache.lookup([])[1], {"test:a": b"1"})
parent_connection = cache._connection
pid = os.fork()
if pid == 0:  # the child starts empty, on a connection of its own
    values = cache.lookup(["test:a"])[0]
    os._exit(0 if values == {} and cache._connection not in (None, parent_connection) else 1)
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status), cache.lookup(["test:a"])[0] == {"test:a": b"1"})
"""


def test_a_forked_process_starts_empty_with_its_own_connection(redis_url):
    """In a process of its own: forking the test process (it has threads) could deadlock the child."""
    result = subprocess.run(
        [sys.executable, "-c", FORK_SCRIPT, redis_url], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split() == ["0", "True"], result.stderr  # the parent's values are untouched


def test_without_tracking_every_value_is_read_from_redis(settings, redis_url, raw, prefix, caplog):
    user = f"kit-near-{prefix}"
    raw.execute_command("ACL", "SETUSER", user, "on", "nopass", "~*", "&*", "+@all", "-client")
    try:
        location = redis_url.replace("redis://", f"redis://{user}@")
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": location,
                "KEY_PREFIX": prefix,
                "OPTIONS": {"CLIENT_CLASS": "kit.cache.redis_client.NearCacheClient"},
            }
        }
        near = caches["default"]
        near.set("kit:perms:version", "v1")
        with caplog.at_level("WARNING", logger="kit.cache"):
            assert near.get("kit:perms:version") == "v1"
        raw.set(near.make_key("kit:perms:version"), near.client.encode("v2"))
        assert near.get("kit:perms:version") == "v2"
        assert "Near cache off" in caplog.text
    finally:
        raw.execute_command("ACL", "DELUSER", user)
