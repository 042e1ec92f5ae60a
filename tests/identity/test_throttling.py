"""The auth endpoints are throttled per client address, logins also per account: 429 with Retry-After.

The client address is REMOTE_ADDR; X-Forwarded-For counts only behind ``NUM_PROXIES`` proxies.
"""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from kit.conf import ServiceSettings
from tests.identity.conftest import PASSWORD
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


def attempt(client, address="10.0.0.1", username="alice", password="guess", **headers):
    return client.post(
        "/api/auth/token",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
        **headers,
    )


def test_fourth_attempt_is_429_with_retry_after(client, user):
    assert [attempt(client).status_code for _ in range(3)] == [401, 401, 401]
    response = attempt(client)
    problem(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60


def test_addresses_are_counted_apart(client, user):
    for n in range(3):
        attempt(client, "10.0.0.1", username=f"user{n}")
    assert attempt(client, "10.0.0.2", username="other").status_code == 401


def test_a_forwarded_for_header_from_anyone_does_not_change_the_address(client, user):
    """100 attempts with rotating X-Forwarded-For from one peer: throttled after the third."""
    statuses = [
        attempt(client, username=f"user{n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(100)
    ]
    assert statuses[:3] == [401, 401, 401]
    assert set(statuses[3:]) == {429}


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, user, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    statuses = [
        attempt(client, username=f"user{n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(10)
    ]
    assert set(statuses) == {401}  # ten clients behind one proxy
    for n in range(3):
        attempt(client, username=f"other{n}", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert attempt(client, username="x", HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 429


def test_addresses_a_client_prepends_to_the_proxy_chain_are_ignored(client, user, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    statuses = [
        attempt(client, username=f"user{n}", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.7").status_code
        for n in range(4)
    ]
    assert statuses == [401, 401, 401, 429]  # the proxy's entry, the last one, is the client


def test_logins_are_throttled_per_account_whatever_the_address(client, user):
    statuses = [attempt(client, f"10.0.1.{n}").status_code for n in range(3)]
    assert statuses == [401, 401, 401]
    response = attempt(client, "10.0.2.1", username="ALICE ")  # the same account, spelt otherwise
    problem(response, 429, "throttled")
    right = attempt(client, "10.0.2.2", password=PASSWORD)
    problem(right, 429, "throttled")  # the right password does not get in while throttled
    assert "access" not in right.content.decode()
    assert attempt(client, "10.0.2.3", username="bob").status_code == 401  # other accounts may log in


def test_an_account_named_by_a_number_counts_as_its_text(client, make_user):
    make_user("12345")
    bodies = [{"username": 12345, "password": "x"}, {"username": "12345", "password": "x"}] * 2
    statuses = [
        client.post("/api/auth/token", body, format="json", REMOTE_ADDR=f"10.0.5.{n}").status_code
        for n, body in enumerate(bodies)
    ]
    assert statuses == [401, 401, 401, 429]


def test_the_number_of_proxies_comes_from_the_environment():
    settings = {"REST_FRAMEWORK": {"NUM_PROXIES": 0}}
    ServiceSettings().load_from_env(settings, environ={"SECRET_KEY": "x" * 50, "NUM_PROXIES": "2"})
    assert settings["REST_FRAMEWORK"]["NUM_PROXIES"] == 2


def test_the_kit_default_trusts_no_proxy():
    from rest_framework.settings import api_settings

    assert api_settings.NUM_PROXIES == 0


def test_an_unset_number_of_proxies_fails_the_checks(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": None}
    with pytest.raises(SystemCheckError, match=r"kit\.E020"):
        call_command("check")


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
