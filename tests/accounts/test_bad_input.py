"""Whatever the body, every account endpoint answers a problem (or accepts it), never a 500."""

import pytest

from tests.accounts.conftest import logged_in

ENDPOINTS = [
    "/api/auth/signup",
    "/api/auth/signup/verify",
    "/api/auth/password/reset",
    "/api/auth/password/reset/confirm",
    "/api/auth/password/change",
    "/api/auth/email/change",
    "/api/auth/email/change/confirm",
    "/api/auth/mfa/totp",
    "/api/auth/mfa/totp/confirm",
    "/api/auth/mfa/totp/remove",
    "/api/auth/mfa/recovery-codes",
    "/api/auth/token",
]

BODIES = [
    "{",
    "[]",
    '"text"',
    "null",
    '{"email": 5, "password": null, "token": {"a": 1}, "code": [], "username": false}',
    '{"email": "a@b.co", "password": "' + "p" * 5000 + '", "token": "' + "t" * 300 + '", "code": "\\u0000"}',
    '{"token": "e30:1:2", "code": "000000", "otp": "000000", "current_password": ""}',
]


@pytest.mark.parametrize("logged", [False, True], ids=["anonymous", "logged in"])
def test_garbage_bodies_get_problems(api_client, user, logged, settings):
    settings.KIT = {**settings.KIT, "AUTH_THROTTLE_RATE": None}  # every body reaches its view
    client = logged_in(user) if logged else api_client
    statuses = set()
    for path in ENDPOINTS:
        for body in BODIES:
            response = client.post(path, body, content_type="application/json")
            statuses.add(response.status_code)
            assert response.status_code < 500, (path, body, response.status_code, response.content)
            if response.status_code >= 400:
                assert response["Content-Type"].startswith("application/problem+json"), (path, body)
    assert 429 not in statuses and 400 in statuses
