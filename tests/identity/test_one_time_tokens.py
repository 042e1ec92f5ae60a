"""One-time tokens: signed, expiring, purpose-bound, single use (recorded in the database), revocable."""

import time

import pytest
from django.core import signing

from kit import tokens

pytestmark = pytest.mark.django_db


def reason(callable_, *args, **kwargs):
    with pytest.raises(tokens.InvalidToken) as error:
        callable_(*args, **kwargs)
    assert error.value.status_code == 400
    assert error.value.code == "invalid_token"
    return error.value.reason


def test_round_trip():
    token = tokens.make_token({"user": 7}, purpose="password-reset")
    assert tokens.verify_token(token, purpose="password-reset") == {"user": 7}
    assert tokens.use_token(token, purpose="password-reset") == {"user": 7}


def test_single_use():
    token = tokens.make_token("x", purpose="confirm")
    tokens.use_token(token, purpose="confirm")
    assert reason(tokens.use_token, token, purpose="confirm") == "used"
    assert reason(tokens.verify_token, token, purpose="confirm") == "used"


def test_tokens_are_distinct_even_for_equal_payloads():
    first = tokens.make_token("x", purpose="confirm")
    second = tokens.make_token("x", purpose="confirm")
    assert first != second
    tokens.use_token(first, purpose="confirm")
    assert tokens.use_token(second, purpose="confirm") == "x"


def test_tampered():
    token = tokens.make_token({"user": 7}, purpose="p")
    assert (
        reason(tokens.use_token, token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1], purpose="p")
        == "tampered"
    )
    assert reason(tokens.use_token, "garbage", purpose="p") == "tampered"
    forged = signing.dumps(
        {"p": {"user": 1}, "u": "p", "e": time.time() + 60, "i": "x"}, key="k" * 50, salt="kit.tokens"
    )
    assert reason(tokens.use_token, forged, purpose="p") == "tampered"
    not_ours = signing.dumps(["a", "list"], salt="kit.tokens")
    assert reason(tokens.use_token, not_ours, purpose="p") == "tampered"


def test_expired():
    token = tokens.make_token("x", purpose="p", max_age=0)
    assert reason(tokens.use_token, token, purpose="p") == "expired"


def test_default_lifetime_from_settings(settings):
    settings.KIT = {"ONE_TIME_TOKEN_MAX_AGE": -1}
    assert reason(tokens.verify_token, tokens.make_token("x", purpose="p"), purpose="p") == "expired"


def test_wrong_purpose():
    token = tokens.make_token("x", purpose="invite")
    assert reason(tokens.use_token, token, purpose="password-reset") == "wrong_purpose"
    assert tokens.use_token(token, purpose="invite") == "x"


def test_revoke():
    token = tokens.make_token("x", purpose="p")
    tokens.revoke_token(token, purpose="p")
    assert reason(tokens.use_token, token, purpose="p") == "used"
    tokens.revoke_token("garbage", purpose="p")  # nothing to do


def test_secret_key_rotation_invalidates(settings):
    token = tokens.make_token("x", purpose="p")
    settings.SECRET_KEY = "an entirely different secret key, long enough"
    assert reason(tokens.use_token, token, purpose="p") == "tampered"
