"""Throttles of the account flows: per client address, and per email address whatever the client."""

import pytest


@pytest.fixture(autouse=True)
def _low_rate(settings):
    settings.KIT = {**settings.KIT, "AUTH_THROTTLE_RATE": "3/minute"}


def reset(client, email, address):
    return client.post("/api/auth/password/reset", {"email": email}, format="json", REMOTE_ADDR=address)


@pytest.mark.parametrize("email", ["ada@example.com", "nobody@example.com"], ids=["known", "unknown"])
def test_one_address_cannot_be_flooded_from_many_clients(api_client, user, mail_outbox, email):
    answers = [reset(api_client, email, f"10.0.0.{n}").status_code for n in range(4)]
    assert answers == [202, 202, 202, 429]  # the same for a known address and an unknown one
    assert reset(api_client, f" {email.upper()}", "10.0.0.9").status_code == 429  # the same address
    assert reset(api_client, "other@example.com", "10.0.0.9").status_code == 202
    assert len(mail_outbox) == (3 if email == "ada@example.com" else 0)


def test_one_client_is_throttled_over_every_endpoint(api_client, db):
    assert reset(api_client, "a@example.com", "10.0.0.1").status_code == 202
    assert reset(api_client, "b@example.com", "10.0.0.1").status_code == 202
    signup = {"email": "c@example.com", "username": "c", "password": "a long enough passphrase"}
    assert (
        api_client.post("/api/auth/signup", signup, format="json", REMOTE_ADDR="10.0.0.1").status_code == 202
    )
    response = reset(api_client, "d@example.com", "10.0.0.1")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
