"""kit.cache over Django's cache: locmem, a real Redis, and a Redis that is down."""

import logging
import socket

import pytest
import redis
from django.core.cache import caches

from kit import cache
from kit.cache import outages
from kit.conf import ServiceSettings


def redis_cache(location, prefix="billing"):
    return {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": location, "KEY_PREFIX": prefix}
    }


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed once the socket is: connections are refused


def test_get_set_delete():
    cache.set("rates", {"EUR": 1.08}, lifetime=60)
    assert cache.get("rates") == {"EUR": 1.08}

    cache.delete("rates")

    assert cache.get("rates") is None
    assert cache.get("rates", default={}) == {}


def test_a_zero_lifetime_is_not_kept():
    cache.set("ephemeral", 1, lifetime=0)
    assert cache.get("ephemeral", "missing") == "missing"


@pytest.mark.redis
def test_redis_keys_are_prefixed_with_the_service_name(settings, redis_url):
    settings.CACHES = redis_cache(redis_url, prefix="billing")
    raw = redis.Redis.from_url(redis_url)
    raw.delete("billing:1:rates")

    cache.set("rates", [1, 2, 3], lifetime=60)

    assert raw.exists("billing:1:rates")
    assert cache.get("rates") == [1, 2, 3]
    cache.delete("rates")
    assert not raw.exists("billing:1:rates")


def test_a_namespace_goes_before_the_prefix_of_every_cache():
    settings = ServiceSettings().load_from_env(
        {
            "__name__": "billing.settings",
            "CACHES": {"sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        },
        environ={"CACHE_NAMESPACE": "staging", "DEBUG": "true"},
    )
    assert settings["CACHES"]["default"]["KEY_PREFIX"] == "staging:billing"
    assert settings["CACHES"]["sessions"]["KEY_PREFIX"] == "staging"


def test_the_service_name_becomes_the_key_prefix(redis_url):
    settings = ServiceSettings().load_from_env(
        {"__name__": "billing.settings"}, environ={"CACHE_URL": redis_url, "DEBUG": "true"}
    )
    assert settings["CACHES"]["default"]["KEY_PREFIX"] == "billing"
    assert settings["CACHES"]["default"]["BACKEND"] == "django_redis.cache.RedisCache"


def test_redis_caches_have_socket_timeouts_unless_the_url_names_them():
    """A paused Redis costs about a second per call, not a hang (issue 13, item 11); the
    behaviour under a running server: tests/identity/test_redis_outage.py."""
    schema = ServiceSettings()
    environ = {"CACHE_URL": "redis://127.0.0.1:6379/0", "DEBUG": "true"}
    options = schema.load_from_env({"__name__": "s.settings"}, environ=environ)["CACHES"]["default"][
        "OPTIONS"
    ]
    assert options["SOCKET_CONNECT_TIMEOUT"] == options["SOCKET_TIMEOUT"] == 1.0
    environ["CACHE_URL"] += "?socket_timeout=2.5&socket_connect_timeout=0.5"
    options = schema.load_from_env({"__name__": "s.settings"}, environ=environ)["CACHES"]["default"][
        "OPTIONS"
    ]
    assert (options["SOCKET_CONNECT_TIMEOUT"], options["SOCKET_TIMEOUT"]) == (0.5, 2.5)


def test_a_redis_outage_degrades_to_misses_with_one_warning(settings, caplog, monkeypatch):
    """Every failed call used to log django-redis's "Exception ignored" with a traceback."""
    monkeypatch.setitem(outages._state, "failing", False)
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")

    with caplog.at_level(logging.WARNING, logger="kit.cache"):
        for _ in range(3):
            cache.set("rates", [1, 2, 3], lifetime=60)
            assert cache.get("rates", default="miss") == "miss"
            cache.delete("rates")
            assert caches["default"].get_many(["a", "b"]) == {}

    records = [record for record in caplog.records if record.name == "kit.cache"]
    assert [record.levelname for record in records] == ["WARNING"]
    assert "unreachable (ConnectionError: " in records[0].getMessage()
    assert records[0].exc_info is not None  # its traceback, once


def test_the_next_outage_is_logged_once_more(settings, caplog, monkeypatch):
    monkeypatch.setitem(outages._state, "failing", False)
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0")
    with caplog.at_level(logging.WARNING, logger="kit.cache"):
        cache.get("rates")
        outages.report_recovery("default")  # what a successful strict read or throttle reports
        cache.get("rates")
        cache.get("rates")
    messages = [record.getMessage() for record in caplog.records if record.name == "kit.cache"]
    assert len(messages) == 3
    assert "unreachable" in messages[0] and "unreachable" in messages[2]
    assert messages[1] == "Cache 'default' reachable again."
