"""Fixtures for the account flows: every flow on, users, logins and the codes emails carry."""

import re
import time

import pyotp
import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from kit.accounts.flows import FLOWS

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture(autouse=True)
def _accounts_on(settings):
    settings.ROOT_URLCONF = "tests.accounts.urls"
    settings.KIT = {**getattr(settings, "KIT", {}), "ACCOUNT_FLOWS": list(FLOWS), "ROLE_FIELD": "first_name"}
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    ]


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user(username="ada", email="ada@example.com", password=PASSWORD)


def login(client, username="ada", password=PASSWORD, **extra):
    return client.post(
        "/api/auth/token", {"username": username, "password": password, **extra}, format="json"
    )


def bearer(access):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def logged_in(user_or_name="ada", password=PASSWORD, **extra):
    """A client authenticated by a fresh login (its tokens in ``client.tokens``)."""
    response = login(APIClient(), getattr(user_or_name, "username", user_or_name), password, **extra)
    assert response.status_code == 200, response.json()
    client = bearer(response.json()["data"]["access"])
    client.tokens = response.json()["data"]
    return client


def code_in(message):
    """The token an account email carries (as a code: no ACCOUNT_LINKS configured)."""
    match = re.search(r"code: (\S+)", message.body)
    assert match, message.body
    return match.group(1)


def totp_code(secret, steps=0):
    """The authenticator app's code, ``steps`` time steps from now."""
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(int(time.time()) // totp.interval + steps)


def problem(response, status, code):
    assert response.status_code == status, (response.status_code, response.content)
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["code"] == code, body
    return body
