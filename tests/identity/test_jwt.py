"""JWT endpoints and abuse cases: every unusable token is a 401, never a 500."""

import base64
import json
import time
from datetime import timedelta

import jwt as pyjwt
import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.utils import timezone
from rest_framework_simplejwt.backends import TokenBackend

from kit.authentication.jwt import signatures
from kit.authentication.jwt.authentication import JWTAuthentication
from kit.authentication.jwt.models import TokenRevocation
from kit.authentication.jwt.revocation import revoke_user_tokens
from kit.authentication.jwt.tokens import AccessToken, RefreshToken
from kit.authorization.models import Right
from tests.identity.helpers import data, problem

pytestmark = pytest.mark.django_db


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def sign(payload, key=None, algorithm="HS256"):
    return pyjwt.encode(payload, key or django_settings.SECRET_KEY, algorithm=algorithm)


def claims(user, **extra):
    now = int(time.time())
    return {
        "token_type": "access",
        "exp": now + 300,
        "iat": now,
        "jti": "j" * 32,
        "user_id": str(user.pk),
        **extra,
    }


def test_obtain_refresh_verify(client, user, obtain_tokens):
    tokens = obtain_tokens()
    assert set(tokens) >= {"access", "refresh"}
    response = client.get("/api/v1/whoami", **bearer(tokens["access"]))
    assert data(response) == {"user": "alice", "authenticated": True}

    refreshed = client.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json")
    assert refreshed.status_code == 200
    assert data(client.get("/api/v1/whoami", **bearer(data(refreshed)["access"])))["authenticated"]

    assert (
        client.post("/api/auth/token/verify", {"token": tokens["access"]}, format="json").status_code == 200
    )
    assert client.post("/api/auth/token/verify", {"token": "nope"}, format="json").status_code == 401


def test_wrong_password_is_401(client, user):
    response = client.post("/api/auth/token", {"username": "alice", "password": "wrong"}, format="json")
    assert response.status_code == 401


def test_missing_fields_are_400(client, db):
    assert client.post("/api/auth/token", {"username": "alice"}, format="json").status_code == 400
    assert client.post("/api/auth/token", [1, 2], format="json").status_code == 400
    assert client.post("/api/auth/token/refresh", {}, format="json").status_code == 400


def test_inactive_user_cannot_obtain(client, make_user):
    make_user("gone", is_active=False)
    response = client.post("/api/auth/token", {"username": "gone", "password": "x"}, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda user: sign(claims(user, exp=int(time.time()) - 10)), id="expired"),
        pytest.param(lambda user: sign(claims(user, nbf=int(time.time()) + 3600)), id="not-yet-valid"),
        pytest.param(lambda user: sign(claims(user, iat=int(time.time()) + 3600)), id="issued-in-future"),
        pytest.param(
            lambda user: sign(claims(user), key="another-secret-key-that-is-long-enough!"), id="bad-key"
        ),
        pytest.param(lambda user: sign(claims(user, token_type="refresh")), id="refresh-as-access"),
        pytest.param(lambda user: sign({k: v for k, v in claims(user).items() if k != "exp"}), id="no-exp"),
        pytest.param(lambda user: sign({k: v for k, v in claims(user).items() if k != "jti"}), id="no-jti"),
        pytest.param(lambda user: sign(claims(user, user_id="999999")), id="unknown-user"),
        pytest.param(
            lambda user: sign({k: v for k, v in claims(user).items() if k != "user_id"}), id="no-user"
        ),
        pytest.param(lambda user: sign(claims(user), key="k" * 64, algorithm="HS512"), id="other-algorithm"),
        pytest.param(lambda user: "not.a.token", id="garbage"),
        pytest.param(lambda user: "ééé", id="non-ascii"),
    ],
)
def test_unusable_tokens_are_401(client, user, make_token):
    problem(client.get("/api/v1/whoami", **bearer(make_token(user))), 401, "unauthenticated")


def _b64(part):
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def test_alg_none_is_401(client, user):
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims(user))}."
    assert client.get("/api/v1/whoami", **bearer(token)).status_code == 401


def test_tampered_payload_is_401(client, user, obtain_tokens):
    header, _payload, signature = obtain_tokens()["access"].split(".")
    forged = f"{header}.{_b64(claims(user, user_id='1', is_superuser=True))}.{signature}"
    assert client.get("/api/v1/whoami", **bearer(forged)).status_code == 401


def test_refresh_token_cannot_authenticate(client, user, obtain_tokens):
    refresh = obtain_tokens()["refresh"]
    assert client.get("/api/v1/whoami", **bearer(refresh)).status_code == 401


def test_access_token_cannot_refresh(client, user, obtain_tokens):
    access = obtain_tokens()["access"]
    assert client.post("/api/auth/token/refresh", {"refresh": access}, format="json").status_code == 401


def test_malformed_authorization_header_is_401(client, user):
    assert client.get("/api/v1/whoami", HTTP_AUTHORIZATION="Bearer a b").status_code == 401


def test_unknown_scheme_is_ignored_on_public_views(client):
    response = client.get("/api/v1/whoami", HTTP_AUTHORIZATION="Digest abc")
    assert response.status_code == 200
    assert data(response)["authenticated"] is False


def test_refresh_for_a_deleted_user_is_401(client, user, obtain_tokens):
    refresh = obtain_tokens()["refresh"]
    user.delete()
    assert client.post("/api/auth/token/refresh", {"refresh": refresh}, format="json").status_code == 401


class TestRevocation:
    def test_logout_revokes_access_and_refresh(self, client, user, obtain_tokens):
        tokens = obtain_tokens()
        response = client.post(
            "/api/auth/logout", {"refresh": tokens["refresh"]}, format="json", **bearer(tokens["access"])
        )
        assert response.status_code == 204
        assert client.get("/api/v1/whoami", **bearer(tokens["access"])).status_code == 401
        assert (
            client.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json").status_code
            == 401
        )
        assert (
            client.post("/api/auth/token/verify", {"token": tokens["access"]}, format="json").status_code
            == 401
        )

    def test_logout_leaves_other_sessions_alone(self, client, user, obtain_tokens):
        first, second = obtain_tokens(), obtain_tokens()
        client.post("/api/auth/logout", **bearer(first["access"]))
        assert client.get("/api/v1/whoami", **bearer(second["access"])).status_code == 200

    def test_logout_without_credentials_is_401(self, client, db):
        assert client.post("/api/auth/logout").status_code == 401
        assert client.post("/api/auth/logout", {"refresh": "junk"}, format="json").status_code == 401

    def test_logout_with_only_the_refresh_token(self, client, user, obtain_tokens):
        tokens = obtain_tokens()
        assert (
            client.post("/api/auth/logout", {"refresh": tokens["refresh"]}, format="json").status_code == 204
        )
        assert (
            client.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json").status_code
            == 401
        )

    def test_password_change_revokes_every_token(self, client, user, obtain_tokens):
        tokens = obtain_tokens()
        user.set_password("a brand new password")
        user.save()
        assert client.get("/api/v1/whoami", **bearer(tokens["access"])).status_code == 401
        assert (
            client.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json").status_code
            == 401
        )
        fresh = obtain_tokens(password="a brand new password")  # issued right after: accepted
        assert client.get("/api/v1/whoami", **bearer(fresh["access"])).status_code == 200

    def test_password_change_on_a_fresh_instance(self, client, user, obtain_tokens):
        from django.contrib.auth import get_user_model

        tokens = obtain_tokens()
        again = get_user_model().objects.get(pk=user.pk)
        again.set_password("another one entirely")
        again.save(update_fields=["password"])
        assert client.get("/api/v1/whoami", **bearer(tokens["access"])).status_code == 401

    def test_deactivation_revokes_every_token(self, client, user, obtain_tokens):
        tokens = obtain_tokens()
        user.is_active = False
        user.save()
        assert client.get("/api/v1/whoami", **bearer(tokens["access"])).status_code == 401
        assert (
            client.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json").status_code
            == 401
        )
        user.is_active = True
        user.save()  # reactivation does not revive old tokens
        assert (
            client.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json").status_code
            == 401
        )

    def test_other_saves_keep_tokens(self, client, user, obtain_tokens):
        tokens = obtain_tokens()
        user.first_name = "Alice"
        user.save()
        assert client.get("/api/v1/whoami", **bearer(tokens["access"])).status_code == 200

    def test_revocations_outlive_the_cache(self, client, user, obtain_tokens):
        """Recorded in the database: an emptied cache (a Redis restart) forgets none of them."""
        logged_out, changed = obtain_tokens(), obtain_tokens()
        client.post("/api/auth/logout", **bearer(logged_out["access"]))
        revoke_user_tokens(user.pk)
        for cache in caches.all():
            cache.clear()
        assert client.get("/api/v1/whoami", **bearer(logged_out["access"])).status_code == 401
        assert client.get("/api/v1/whoami", **bearer(changed["access"])).status_code == 401
        assert TokenRevocation.objects.filter(user_id=str(user.pk)).count() == 2

    def test_expired_revocations_are_deleted(self, client, user, obtain_tokens):
        client.post("/api/auth/logout", **bearer(obtain_tokens()["access"]))
        TokenRevocation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        client.post("/api/auth/logout", **bearer(obtain_tokens()["access"]))
        assert TokenRevocation.objects.count() == 1  # the new one: the expired one is gone

    def test_deferred_loads_run_no_extra_query(self, user, django_assert_num_queries):
        from django.contrib.auth import get_user_model

        with django_assert_num_queries(1):
            list(get_user_model().objects.only("username"))


def test_tokens_carry_sub_second_issue_times(user):
    refresh = RefreshToken.for_user(user)
    assert isinstance(refresh["iat"], float)
    assert isinstance(refresh.access_token["iat"], float)
    assert isinstance(AccessToken(str(refresh.access_token))["iat"], float)


def test_rotation_revokes_the_replaced_refresh_token(client, user, obtain_tokens, monkeypatch):
    # simplejwt binds its settings object at import: patch that object (override_settings cannot).
    from rest_framework_simplejwt.serializers import api_settings

    monkeypatch.setattr(api_settings, "ROTATE_REFRESH_TOKENS", True)
    tokens = obtain_tokens()
    rotated = client.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json")
    assert rotated.status_code == 200
    assert "refresh" in data(rotated)
    assert (
        client.post("/api/auth/token/refresh", {"refresh": tokens["refresh"]}, format="json").status_code
        == 401
    )
    assert (
        client.post(
            "/api/auth/token/refresh", {"refresh": data(rotated)["refresh"]}, format="json"
        ).status_code
        == 200
    )


def test_jwt_caller_with_rights(client, user, obtain_tokens):
    Right.objects.create(user=user, resource="items", operation="read")
    assert client.get("/api/v1/items", **bearer(obtain_tokens()["access"])).status_code == 200


def test_expired_via_lifetime(client, user, monkeypatch):
    monkeypatch.setattr(AccessToken, "lifetime", timedelta(seconds=-1))
    token = str(RefreshToken.for_user(user).access_token)
    assert client.get("/api/v1/whoami", **bearer(token)).status_code == 401


@pytest.fixture
def decodes(monkeypatch):
    """The tokens whose signature the token backend checked."""
    checked = []
    decode = TokenBackend.decode

    def counted(backend, token, verify=True):
        checked.append(token)
        return decode(backend, token, verify)

    monkeypatch.setattr(TokenBackend, "decode", counted)
    signatures._decoded.cache_clear()
    return checked


def test_a_tokens_signature_is_checked_once_per_process(client, user, decodes):
    token = sign(claims(user))

    answers = [client.get("/api/v1/whoami", **bearer(token)) for _ in range(3)]

    assert [data(answer)["authenticated"] for answer in answers] == [True, True, True]
    assert len(decodes) == 1


def test_a_remembered_token_is_refused_once_expired(client, user, decodes):
    token = sign(claims(user, exp=int(time.time()) + 2))  # at least a second to answer
    assert client.get("/api/v1/whoami", **bearer(token)).status_code == 200

    time.sleep(max(0.0, pyjwt.decode(token, options={"verify_signature": False})["exp"] - time.time()) + 0.05)

    assert client.get("/api/v1/whoami", **bearer(token)).status_code == 401
    assert len(decodes) == 2  # decoded again: the backend's own "expired" error


def test_a_remembered_tokens_payload_with_another_signature_is_refused(client, user, decodes):
    genuine = sign(claims(user))
    assert client.get("/api/v1/whoami", **bearer(genuine)).status_code == 200

    forged = sign(claims(user), key="another-key-" + "x" * 40)

    assert forged.split(".")[:2] == genuine.split(".")[:2]
    assert client.get("/api/v1/whoami", **bearer(forged)).status_code == 401


def test_each_request_gets_its_own_copy_of_a_remembered_payload(user):
    token = sign(claims(user)).encode()
    first = JWTAuthentication().get_validated_token(token)
    first["scope"] = "changed by one request"

    second = JWTAuthentication().get_validated_token(token)

    assert "scope" not in second.payload


def test_token_settings_changes_forget_remembered_tokens(client, user, decodes, settings):
    token = sign(claims(user))
    assert client.get("/api/v1/whoami", **bearer(token)).status_code == 200

    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "LEEWAY": 1}

    assert client.get("/api/v1/whoami", **bearer(token)).status_code == 200
    assert len(decodes) == 2


@pytest.mark.parametrize("user_id", ["abc", ["1"], {"pk": 1}, "1.5e3x"])
def test_a_signed_token_with_an_impossible_user_id_is_401(client, user, user_id):
    token = sign(claims(user, user_id=user_id))
    problem(client.get("/api/v1/whoami", **bearer(token)), 401, "unauthenticated")


def test_a_refresh_token_with_an_impossible_user_id_is_401(client, user):
    refresh = sign(claims(user, token_type="refresh", user_id="abc"))
    response = client.post("/api/auth/token/refresh", {"refresh": refresh}, format="json")
    problem(response, 401, "unauthenticated")
