"""The kit app's models (defined next to the code that uses them)."""

from kit.authentication.api_keys.models import ApiKey
from kit.authorization.models import Right

__all__ = ["ApiKey", "Right"]
