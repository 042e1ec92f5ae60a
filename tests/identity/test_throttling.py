"""The auth endpoints are throttled per client address: 429 with Retry-After."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from kit.conf import ServiceSettings
from tests.identity.helpers import problem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def low_rate(settings):
    settings.KIT = {"AUTH_THROTTLE_RATE": "3/minute"}


def load_kit_options(**environ):
    """The ``KIT`` options a service's settings get from ``environ`` (the settings schema)."""
    settings = {"KIT": {}}
    ServiceSettings().load_from_env(settings, environ={"SECRET_KEY": "x" * 50, **environ})
    return settings["KIT"]


def attempt(client, address="10.0.0.1"):
    return client.post(
        "/api/auth/token", {"username": "alice", "password": "guess"}, format="json", REMOTE_ADDR=address
    )


def test_fourth_attempt_is_429_with_retry_after(client, user):
    assert [attempt(client).status_code for _ in range(3)] == [401, 401, 401]
    response = attempt(client)
    problem(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60


def test_addresses_are_counted_apart(client, user):
    for _ in range(3):
        attempt(client, "10.0.0.1")
    assert attempt(client, "10.0.0.2").status_code == 401


def test_every_auth_endpoint_shares_the_budget(client, user):
    attempt(client)
    client.post("/api/auth/token/refresh", {"refresh": "x"}, format="json", REMOTE_ADDR="10.0.0.1")
    client.post("/api/auth/token/verify", {"token": "x"}, format="json", REMOTE_ADDR="10.0.0.1")
    assert client.post("/api/auth/logout", REMOTE_ADDR="10.0.0.1").status_code == 429


def test_counters_live_in_the_shared_cache(client, user):
    attempt(client)
    assert len(cache.get("throttle_auth_10.0.0.1")) == 1


@pytest.mark.parametrize(
    ("value", "rate"), [("5/minute", "5/minute"), ("100/h", "100/h"), ("off", None), ("None", None)]
)
def test_the_rate_comes_from_the_environment(value, rate):
    assert load_kit_options(AUTH_THROTTLE_RATE=value)["AUTH_THROTTLE_RATE"] == rate


def test_a_malformed_rate_in_the_environment_is_refused():
    with pytest.raises(ImproperlyConfigured, match=r"AUTH_THROTTLE_RATE: 'fast' must be a rate like"):
        load_kit_options(AUTH_THROTTLE_RATE="fast")


def test_a_rate_from_the_environment_is_enforced(client, user, settings):
    settings.KIT = load_kit_options(AUTH_THROTTLE_RATE="2/hour")
    assert [attempt(client).status_code for _ in range(3)] == [401, 401, 429]
    assert 3000 < int(attempt(client)["Retry-After"]) <= 3600


def test_none_turns_it_off(client, user, settings):
    settings.KIT = {"AUTH_THROTTLE_RATE": None}
    assert {attempt(client).status_code for _ in range(10)} == {401}


def test_api_views_are_not_throttled_by_it(client, db):
    assert {client.get("/api/v1/whoami").status_code for _ in range(10)} == {200}


@pytest.mark.redis
def test_counters_shared_through_redis(client, user, settings, redis_url):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    cache.clear()
    try:
        for _ in range(3):
            attempt(client)
        assert attempt(client).status_code == 429
        assert len(cache.get("throttle_auth_10.0.0.1")) == 3
    finally:
        cache.clear()
