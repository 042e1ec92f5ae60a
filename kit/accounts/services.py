"""The account flows: sign-up, email verification, password reset and change, email change.

Services named ``<entity>_<action>``, keyword-only. Every link or code a flow emails is a one-time
token of :mod:`kit.tokens` (signed, expiring, single use: a tampered, expired or used one is a 400
``invalid_token`` problem). Flows started with an email address answer the same whether an account
has that address or not; what differs is only the email sent.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from rest_framework.exceptions import ValidationError
from rest_framework_simplejwt.settings import api_settings

from kit import tokens
from kit.accounts.emails import send_account_email
from kit.accounts.models import PendingSignup
from kit.accounts.sessions import session_start, sessions_end_all
from kit.authentication.jwt.revocation import revoke_user_tokens
from kit.authentication.jwt.tokens import RefreshToken
from kit.conf import kit_settings
from kit.errors.exceptions import Problem

VERIFY_EMAIL = "verify-email"
PASSWORD_RESET = "password-reset"
EMAIL_CHANGE = "email-change"


def email_field() -> str:
    return get_user_model().get_email_field_name()


def user_by_email(email: str) -> Any | None:
    """The (first) user with this address, compared case-insensitively."""
    users = get_user_model()._default_manager.filter(**{f"{email_field()}__iexact": email})
    return users.order_by("pk").first()


def signup_start(*, email: str, password: str, username: str | None = None) -> None:
    """Create an inactive account and email it a verification token.

    An address that has an account already gets an email saying so (or a new verification token
    when it was never verified) and nothing is created: the caller learns nothing either way.
    """
    existing = user_by_email(email)
    if existing is not None:
        make_password(password)  # as long as creating an account: the timing tells nothing either
        if _never_verified(existing):
            _send_verification(existing, email)
        else:
            send_account_email("already_registered", to=email, user=existing)
        return
    model = get_user_model()
    fields: dict[str, Any] = {email_field(): email}
    if email_field() != model.USERNAME_FIELD:
        fields[model.USERNAME_FIELD] = username
    try:
        with transaction.atomic():
            user = model(is_active=False, **fields)
            user.set_password(password)
            user.save()
            PendingSignup.objects.create(user=user)
    except IntegrityError as error:
        raise Problem(409, "conflict", "An account with this username exists already.") from error
    _send_verification(user, email)


def _never_verified(user: Any) -> bool:
    """An account created by sign-up and not verified yet."""
    return PendingSignup.objects.filter(user=user).exists()


def _send_verification(user: Any, email: str) -> None:
    token = tokens.make_token(
        {"user": _user_id(user), "email": email, "state": _password_state(user)},
        purpose=VERIFY_EMAIL,
        max_age=kit_settings.ACCOUNT_VERIFY_MAX_AGE,
    )
    send_account_email("verify_email", to=email, user=user, token=token, purpose="verify_email")


def signup_verify(*, token: str) -> Any:
    """Activate the account the verification token names (never a deactivated one); the user."""
    payload = tokens.use_token(token, purpose=VERIFY_EMAIL)
    user = _token_user(payload)
    same_email = (getattr(user, email_field()) or "").casefold() == str(payload.get("email", "")).casefold()
    if not (same_email and _never_verified(user) and payload.get("state") == _password_state(user)):
        raise tokens.InvalidToken("used", "The token is no longer valid.")
    with transaction.atomic():
        PendingSignup.objects.filter(user=user).delete()
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def password_reset_start(*, email: str) -> None:
    """Email a password reset token to the active account with this address (if any)."""
    user = user_by_email(email)
    if user is None or not user.is_active:
        return
    token = tokens.make_token(
        {"user": _user_id(user), "state": _password_state(user)},
        purpose=PASSWORD_RESET,
        max_age=kit_settings.ACCOUNT_RESET_MAX_AGE,
    )
    send_account_email("password_reset", to=email, user=user, token=token, purpose="password_reset")


def password_reset_confirm(*, token: str, password: str) -> None:
    """Set the password of the token's user and revoke all their tokens.

    The token is used up only when the new password is acceptable, and is refused once the
    password changed in any other way since it was issued.
    """
    payload = tokens.verify_token(token, purpose=PASSWORD_RESET)
    user = _token_user(payload)
    if not user.is_active or payload.get("state") != _password_state(user):
        raise tokens.InvalidToken("used", "The token is no longer valid.")
    tokens.use_token(token, purpose=PASSWORD_RESET)
    _set_password(user, password)


def password_change(*, user: Any, current_password: str, password: str, request: Any) -> RefreshToken:
    """Change the password, revoke every other token of the user; a new refresh token (a new login)."""
    if not user.check_password(current_password):
        raise ValidationError({"current_password": ["The password is wrong."]}, code="invalid")
    _set_password(user, password)
    refresh = RefreshToken.for_user(user)
    session_start(user=user, refresh=refresh, request=request)
    return refresh


def email_change_start(*, user: Any, email: str, password: str) -> None:
    """Email a confirmation token to the new address (or, when it has an account, a notice)."""
    if not user.check_password(password):
        raise ValidationError({"password": ["The password is wrong."]}, code="invalid")
    if user_by_email(email) is not None:
        send_account_email("email_taken", to=email, user=user)
        return
    payload = {"user": _user_id(user), "email": email, "old": getattr(user, email_field()) or ""}
    token = tokens.make_token(payload, purpose=EMAIL_CHANGE, max_age=kit_settings.ACCOUNT_VERIFY_MAX_AGE)
    send_account_email("email_change", to=email, user=user, token=token, purpose="email_change")


def email_change_confirm(*, token: str) -> Any:
    """Give the token's user the new address (409 when another account took it meanwhile)."""
    payload = tokens.verify_token(token, purpose=EMAIL_CHANGE)
    user = _token_user(payload)
    old = getattr(user, email_field()) or ""
    if old != payload.get("old"):
        raise tokens.InvalidToken("used", "The token is no longer valid.")
    if user_by_email(payload["email"]) is not None:
        raise Problem(409, "conflict", "Another account has this address now.")
    tokens.use_token(token, purpose=EMAIL_CHANGE)
    setattr(user, email_field(), payload["email"])
    user.save(update_fields=[email_field()])
    if old:
        send_account_email("email_changed", to=old, user=user, email=payload["email"])
    return user


def _set_password(user: Any, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    revoke_user_tokens(_user_id(user))
    sessions_end_all(user)


def _user_id(user: Any) -> Any:
    return getattr(user, api_settings.USER_ID_FIELD)


def _token_user(payload: Any) -> Any:
    """The user a valid token names (a deleted one makes the token invalid)."""
    model = get_user_model()
    user_id = payload.get("user") if isinstance(payload, dict) else None
    user = model._default_manager.filter(**{api_settings.USER_ID_FIELD: user_id}).first()
    if user is None:
        raise tokens.InvalidToken("used", "The token is no longer valid.")
    return user


def _password_state(user: Any) -> str:
    """Changes whenever the password does (or the user logs in): a reset token is for one state."""
    login = user.last_login.replace(microsecond=0, tzinfo=None).isoformat() if user.last_login else ""
    state = f"{user.password}{login}"
    return salted_hmac("kit.accounts.password-state", state, algorithm="sha256").hexdigest()[:32]
