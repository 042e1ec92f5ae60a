"""The kit app's models (defined next to the code that uses them)."""

from kit.accounts.models import AuthSession, PendingSignup, RecoveryCode, TotpDevice
from kit.authentication.api_keys.models import ApiKey
from kit.authentication.jwt.models import TokenRevocation
from kit.authorization.models import Right
from kit.cache.models import CacheInvalidation
from kit.used_tokens import UsedToken

__all__ = [
    "ApiKey",
    "AuthSession",
    "CacheInvalidation",
    "PendingSignup",
    "RecoveryCode",
    "Right",
    "TokenRevocation",
    "TotpDevice",
    "UsedToken",
]
