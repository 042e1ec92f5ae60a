"""The admin's login is throttled like /api/auth/token: per client address and per account.

A throttled attempt gets the login form back with the form's error, and no session, even with the
right password; the counters are those of /api/auth/ (one budget per address and per account).
"""

import socket

import pytest
from django.test import Client

from tests.identity.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def low_rate(settings):
    settings.KIT = {"AUTH_THROTTLE_RATE": "3/minute"}


@pytest.fixture
def staff(make_user):
    return make_user("root", is_staff=True, is_superuser=True)


def admin_login(username, password, address="10.0.0.1", **headers):
    """A fresh browser posts the admin's login form; (status, logged in, page)."""
    browser = Client(enforce_csrf_checks=False)
    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )
    return response.status_code, "_auth_user_id" in browser.session, response.content.decode()


def test_the_right_password_logs_in_when_not_throttled(staff):
    status, logged_in, _ = admin_login("root", PASSWORD)
    assert (status, logged_in) == (302, True)


def test_per_account_the_right_password_is_refused_once_throttled(staff):
    for n in range(3):
        status, logged_in, page = admin_login("root", "wrong", address=f"10.0.1.{n}")
        assert (status, logged_in) == (200, False)
        assert "Please enter the correct username and password" in page
    status, logged_in, page = admin_login("root", PASSWORD, address="10.0.2.1")
    assert (status, logged_in) == (200, False)
    assert "Too many login attempts. Try again in" in page


def test_per_address_rotating_accounts_are_throttled(staff):
    for n in range(3):
        admin_login(f"guess{n}", "wrong")
    status, logged_in, page = admin_login("root", PASSWORD)
    assert (status, logged_in) == (200, False)
    assert "Too many login attempts" in page
    assert admin_login("root", PASSWORD, address="10.0.0.2")[:2] == (302, True)  # elsewhere: fine


def test_a_forwarded_for_header_from_anyone_does_not_change_the_address(staff):
    for n in range(3):
        admin_login(f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    status, logged_in, _ = admin_login("root", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert (status, logged_in) == (200, False)


def test_the_admin_and_the_api_share_the_account_budget(staff, client):
    for n in range(3):
        response = client.post(
            "/api/auth/token", {"username": "root", "password": "x"}, format="json", REMOTE_ADDR=f"10.0.3.{n}"
        )
        assert response.status_code == 401
    assert admin_login("root", PASSWORD, address="10.0.4.1")[:2] == (200, False)


def test_none_turns_it_off(staff, settings):
    settings.KIT = {"AUTH_THROTTLE_RATE": None}
    for _ in range(5):
        admin_login("root", "wrong")
    assert admin_login("root", PASSWORD)[:2] == (302, True)


def test_throttled_while_the_cache_is_down(staff, settings):
    """Redis refusing connections: each process counts the attempts itself (was: every attempt
    allowed, the history read as a miss)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed once the socket is: connections are refused
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
    for n in range(3):
        assert admin_login("root", "wrong", address="10.0.3.1")[:2] == (200, False)
    status, logged_in, page = admin_login("root", PASSWORD, address="10.0.3.1")
    assert (status, logged_in) == (200, False)
    assert "Too many login attempts" in page
