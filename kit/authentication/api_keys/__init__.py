"""API keys: long-lived credentials for machines, hashed at rest (see docs/api-keys.md)."""

from kit.authentication.api_keys.keys import api_key_create, api_key_revoke

__all__ = ["api_key_create", "api_key_revoke"]
