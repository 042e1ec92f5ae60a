"""The TOTP second factor (RFC 6238, through pyotp) and its recovery codes.

A user adds an authenticator app in two steps (:func:`totp_start`, then :func:`totp_confirm` with a
code from the app), and then sends a code (or a recovery code) with every login
(:func:`check_second_factor`). Each code is usable once (the last time step used is recorded), and wrong
codes are throttled per user (:class:`~kit.accounts.throttling.SecondFactorThrottle`). Users whose
role is in ``MFA_REQUIRED_ROLES`` cannot log in without one.
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any

import pyotp
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from rest_framework.exceptions import Throttled

from kit.accounts.models import RecoveryCode, TotpDevice
from kit.accounts.throttling import SecondFactorThrottle
from kit.conf import kit_settings
from kit.errors.exceptions import Problem

SALT = "kit.accounts.recovery-codes"


def mfa_required(user: Any) -> bool:
    """Whether the user's role must use a second factor (``MFA_REQUIRED_ROLES``)."""
    role = getattr(user, kit_settings.ROLE_FIELD, None)
    return role is not None and str(role) in {str(r) for r in kit_settings.MFA_REQUIRED_ROLES}


def confirmed_device(user: Any) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed=True).first()


def totp_start(user: Any) -> TotpDevice:
    """A new, unconfirmed device with a fresh secret (replacing an unconfirmed one)."""
    if confirmed_device(user) is not None:
        raise Problem(409, "conflict", "An authenticator app is already set up: remove it first.")
    device, _ = TotpDevice.objects.update_or_create(
        user=user, defaults={"secret": pyotp.random_base32(), "confirmed": False, "last_step": 0}
    )
    return device


def provisioning_uri(device: TotpDevice) -> str:
    """The ``otpauth://`` URI an authenticator app reads (as a QR code)."""
    user = device.user
    issuer = kit_settings.MFA_ISSUER or kit_settings.SERVICE_NAME or "service"
    return pyotp.TOTP(device.secret).provisioning_uri(name=user.get_username(), issuer_name=issuer)


def totp_confirm(user: Any, code: str, request: Any) -> list[str]:
    """Confirm the user's new device with a code from the app; its recovery codes (shown once)."""
    device = TotpDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise Problem(409, "conflict", "Start setting up an authenticator app first.")
    throttle = _throttle(user, request)
    if not _use_totp(device, code):
        throttle.record_failure()
        raise Problem(400, "invalid_otp", "The code is wrong or was already used.", title="Invalid code")
    TotpDevice.objects.filter(pk=device.pk).update(confirmed=True)
    return new_recovery_codes(user)


def totp_remove(user: Any) -> None:
    """Remove the user's device and recovery codes (refused when their role requires one)."""
    if mfa_required(user):
        raise Problem(403, "forbidden", "Your role requires a second factor.")
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()


def new_recovery_codes(user: Any) -> list[str]:
    """Replace the user's recovery codes by ``MFA_RECOVERY_CODES`` new ones (returned in clear)."""
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(kit_settings.MFA_RECOVERY_CODES)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_hash(code)) for code in codes)
    return codes


def recovery_codes_left(user: Any) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def check_second_factor(user: Any, code: str | None, request: Any) -> None:
    """Refuse a login without a valid code when the user has (or must have) a second factor.

    401 ``mfa_required`` without a code, 401 ``invalid_otp`` for a wrong one, 429 ``throttled``
    after ``MFA_THROTTLE_RATE`` wrong ones, 403 ``mfa_setup_required`` when the role requires an
    authenticator app the user has not set up.
    """
    device = confirmed_device(user)
    if device is None:
        if mfa_required(user):
            raise Problem(
                403,
                "mfa_setup_required",
                "Your role requires a second factor: set up an authenticator app (POST /api/auth/mfa/totp"
                " with your username and password), then log in with its code.",
                title="Second factor setup required",
            )
        return
    if not code:
        raise Problem(
            401,
            "mfa_required",
            "Send the code of your authenticator app (otp).",
            title="Second factor required",
        )
    throttle = _throttle(user, request)
    if not (_use_totp(device, code) or _use_recovery_code(user, code)):
        throttle.record_failure()
        raise Problem(401, "invalid_otp", "The code is wrong or was already used.", title="Invalid code")


def _throttle(user: Any, request: Any) -> SecondFactorThrottle:
    """The user's wrong-code throttle; 429 when they reached ``MFA_THROTTLE_RATE`` already."""
    throttle = SecondFactorThrottle(user.pk)
    if not throttle.allow_request(request, None):
        raise Throttled(wait=throttle.wait())
    return throttle


def _use_totp(device: TotpDevice, code: str) -> bool:
    """Whether ``code`` is the device's for the current time step (or a neighbour), never used."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(device.secret)
    now = int(time.time()) // totp.interval
    for step in (now - 1, now, now + 1):
        if step > device.last_step and hmac.compare_digest(totp.generate_otp(step), code):
            # Only one request can move last_step past this step: a code cannot be used twice.
            return TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step) == 1
    return False


def _use_recovery_code(user: Any, code: str) -> bool:
    normalized = "".join(code.split()).lower()
    unused = RecoveryCode.objects.filter(user=user, code_hash=_hash(normalized), used_at__isnull=True)
    return unused.update(used_at=timezone.now()) == 1


def _hash(code: str) -> str:
    return salted_hmac(SALT, code, algorithm="sha256").hexdigest()
