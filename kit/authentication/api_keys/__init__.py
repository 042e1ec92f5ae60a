"""API keys: long-lived credentials for machines, hashed at rest (see docs/api-keys.md)."""
