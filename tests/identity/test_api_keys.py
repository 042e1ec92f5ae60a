"""API keys: hashed at rest, both headers, wrong/expired/revoked keys, the management command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kit.authentication.api_keys.keys import api_key_create, hash_key
from kit.authentication.api_keys.models import ApiKey
from kit.authorization.models import Right
from tests.identity.helpers import data, problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(user):
    return api_key_create(owner=user, name="ci")[1]


def whoami(client, **headers):
    return client.get("/api/v1/whoami", **headers)


def test_the_key_is_never_stored(user, key):
    row = ApiKey.objects.get()
    stored = [str(getattr(row, field.attname)) for field in ApiKey._meta.concrete_fields]
    assert all(key not in value for value in stored)
    assert key.split(".")[1] not in "".join(stored)
    assert row.hashed_key == hash_key(key)
    assert key.startswith(row.prefix + ".")


def test_authorization_header(client, key):
    response = whoami(client, HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert data(response) == {"user": "alice", "authenticated": True}


def test_x_api_key_header(client, key):
    assert data(whoami(client, HTTP_X_API_KEY=key))["authenticated"] is True


def test_both_headers_the_authorization_header_wins(client, key):
    assert whoami(client, HTTP_AUTHORIZATION=f"Api-Key {key}", HTTP_X_API_KEY="bogus.key").status_code == 200
    assert whoami(client, HTTP_AUTHORIZATION="Api-Key bogus.key", HTTP_X_API_KEY=key).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        lambda key: {"HTTP_AUTHORIZATION": f"Api-Key {key}x"},
        lambda key: {"HTTP_AUTHORIZATION": f"Api-Key x{key}"},
        lambda key: {"HTTP_AUTHORIZATION": "Api-Key nodot"},
        lambda key: {"HTTP_AUTHORIZATION": f"Api-Key {key} extra"},
        lambda key: {"HTTP_AUTHORIZATION": "Api-Key"},
        lambda key: {"HTTP_X_API_KEY": ""},
        lambda key: {"HTTP_X_API_KEY": key.split(".")[0] + ".wrong"},
        lambda key: {"HTTP_X_API_KEY": "ünïcödé.key"},
    ],
)
def test_wrong_keys_are_401(client, key, header):
    response = whoami(client, **header(key))
    problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"]


def test_expired_key(client, user):
    _, key = api_key_create(owner=user, name="old", expires_at=timezone.now() - timedelta(seconds=1))
    assert "expired" in problem(whoami(client, HTTP_X_API_KEY=key), 401, "unauthenticated")["detail"]


def test_revoked_key(client, key):
    ApiKey.objects.update(revoked=True)
    assert "revoked" in problem(whoami(client, HTTP_X_API_KEY=key), 401, "unauthenticated")["detail"]


def test_inactive_owner(client, user, key):
    user.is_active = False
    user.save()
    assert whoami(client, HTTP_X_API_KEY=key).status_code == 401


def test_key_acts_with_its_owners_rights(client, user, key):
    assert client.get("/api/v1/items", HTTP_X_API_KEY=key).status_code == 403
    Right.objects.create(user=user, resource="items", operation="read")
    assert client.get("/api/v1/items", HTTP_X_API_KEY=key).status_code == 200


def test_last_used_is_updated_at_most_once_per_interval(client, key, django_assert_num_queries):
    with django_assert_num_queries(2):  # lookup + last_used update
        whoami(client, HTTP_X_API_KEY=key)
    first = ApiKey.objects.get().last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # lookup only
        whoami(client, HTTP_X_API_KEY=key)
    assert ApiKey.objects.get().last_used_at == first


def test_create_api_key_command_prints_the_key_once(user, client):
    out, err = StringIO(), StringIO()
    call_command("create_api_key", "alice", "--name", "deploy", "--expires", "30d", stdout=out, stderr=err)
    key = out.getvalue().strip()
    row = ApiKey.objects.get(name="deploy")
    assert row.hashed_key == hash_key(key)
    assert timedelta(days=29) < row.expires_at - timezone.now() <= timedelta(days=30)
    assert key not in err.getvalue()
    assert data(whoami(client, HTTP_X_API_KEY=key))["authenticated"] is True


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nobody", "--name", "x"], "No user"),
        (["alice", "--name", "x", "--expires", "soon"], "--expires"),
        (["alice", "--name", "x", "--expires", "2001-01-01"], "past"),
    ],
)
def test_create_api_key_command_errors(user, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_api_key", *arguments, stdout=StringIO(), stderr=StringIO())


def test_expiry_formats(user):
    from kit.management.commands.create_api_key import parse_expiry

    assert parse_expiry("2099-01-31").date().isoformat() == "2099-01-31"
    assert parse_expiry("2099-01-31T10:00:00+00:00").hour == 10
    assert timedelta(minutes=89) < parse_expiry("90m") - timezone.now() <= timedelta(minutes=90)
