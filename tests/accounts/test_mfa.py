"""TOTP second factor: setup, login with a code or a recovery code, replay refused, wrong codes
throttled, required per role."""

import pytest
from django.contrib.auth import get_user_model

from kit.accounts.models import TotpDevice
from tests.accounts.conftest import PASSWORD, logged_in, login, problem, totp_code

TOTP = "/api/auth/mfa/totp"


def set_up_totp(client, **credentials):
    """Set up an app through the API; its secret and recovery codes."""
    started = client.post(TOTP, credentials, format="json")
    assert started.status_code == 201, started.json()
    secret = started.json()["data"]["secret"]
    assert started.json()["data"]["otpauth_url"].startswith("otpauth://totp/")
    confirmed = client.post(f"{TOTP}/confirm", {"code": totp_code(secret, -1), **credentials}, format="json")
    assert confirmed.status_code == 200, confirmed.json()
    return secret, confirmed.json()["data"]["recovery_codes"]


@pytest.fixture
def secured(user):
    """Ada with an authenticator app: (secret, recovery codes)."""
    return set_up_totp(logged_in(user))


def test_login_needs_the_code_once_set_up(api_client, user, secured):
    secret, codes = secured
    assert len(codes) == 10 and len(set(codes)) == 10
    problem(login(api_client), 401, "mfa_required")
    problem(
        login(api_client, otp="000000" if totp_code(secret) != "000000" else "111111"), 401, "invalid_otp"
    )
    code = totp_code(secret)
    assert login(api_client, otp=code).status_code == 200
    problem(login(api_client, otp=code), 401, "invalid_otp")  # a code is used once
    status = logged_in(user, otp=totp_code(secret, 1)).get("/api/auth/mfa").json()["data"]
    assert status == {"totp": True, "required_by_role": False, "recovery_codes_left": 10}


def test_a_recovery_code_works_once(api_client, user, secured):
    _, codes = secured
    assert login(api_client, otp=codes[0].upper()).status_code == 200
    problem(login(api_client, otp=codes[0]), 401, "invalid_otp")
    client = logged_in(user, otp=codes[1])
    assert client.get("/api/auth/mfa").json()["data"]["recovery_codes_left"] == 8


def test_five_wrong_codes_then_even_the_right_one_is_throttled(api_client, user, secured):
    secret, _ = secured
    wrong = "123456" if totp_code(secret) != "123456" else "654321"
    for _ in range(5):
        problem(login(api_client, otp=wrong), 401, "invalid_otp")
    response = login(api_client, otp=totp_code(secret))
    problem(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    get_user_model().objects.create_user(username="bob", password=PASSWORD)
    assert login(api_client, "bob").status_code == 200  # the same client address logs others in


@pytest.mark.parametrize("otp", ["abcdef", "12 34 56 78", "🙂" * 8, "", "-" * 32])
def test_garbage_codes_are_refused_cleanly(api_client, user, secured, otp):
    response = login(api_client, otp=otp)
    problem(response, 401, "mfa_required" if otp == "" else "invalid_otp")


def test_a_too_long_code_is_a_validation_problem(api_client, user, secured):
    problem(login(api_client, otp="1" * 33), 400, "validation_error")


def test_a_role_requiring_mfa_sets_it_up_before_its_first_login(api_client, user, settings):
    settings.KIT = {**settings.KIT, "MFA_REQUIRED_ROLES": ["admin"]}
    user.first_name = "admin"  # the test project's role field
    user.save()
    problem(login(api_client), 403, "mfa_setup_required")
    problem(
        api_client.post(TOTP, {"username": "ada", "password": "wrong"}, format="json"), 401, "unauthenticated"
    )
    secret, _ = set_up_totp(api_client, username="ada", password=PASSWORD)
    client = logged_in(user, otp=totp_code(secret))
    assert client.get("/api/auth/mfa").json()["data"]["required_by_role"] is True
    problem(client.post(f"{TOTP}/remove", {"code": totp_code(secret, 1)}, format="json"), 403, "forbidden")


def test_credentials_set_up_nothing_for_roles_that_need_no_second_factor(api_client, user):
    problem(
        api_client.post(TOTP, {"username": "ada", "password": PASSWORD}, format="json"),
        401,
        "unauthenticated",
    )
    assert not TotpDevice.objects.exists()


def test_confirming_needs_a_right_code(user):
    client = logged_in(user)
    client.post(TOTP, {}, format="json")
    problem(client.post(f"{TOTP}/confirm", {"code": "12345"}, format="json"), 400, "invalid_otp")
    assert not TotpDevice.objects.get().confirmed


def test_removing_and_new_recovery_codes_need_a_current_code(api_client, user, secured):
    secret, codes = secured
    client = logged_in(user, otp=codes[0])
    problem(client.post("/api/auth/mfa/recovery-codes", {"code": "nope"}, format="json"), 401, "invalid_otp")
    renewed = client.post("/api/auth/mfa/recovery-codes", {"code": codes[1]}, format="json")
    assert renewed.status_code == 200
    problem(login(api_client, otp=codes[2]), 401, "invalid_otp")  # the old codes are gone
    problem(client.post(TOTP, {}, format="json"), 409, "conflict")  # already set up
    assert client.post(f"{TOTP}/remove", {"code": totp_code(secret)}, format="json").status_code == 204
    assert login(api_client).status_code == 200


def test_turning_the_flow_off_does_not_skip_a_second_factor(api_client, user, secured, settings):
    settings.KIT = {**settings.KIT, "ACCOUNT_FLOWS": []}
    problem(login(api_client), 401, "mfa_required")
    assert login(api_client, otp=totp_code(secured[0])).status_code == 200
