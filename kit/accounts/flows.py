"""Which account flows are on: the KIT option ``ACCOUNT_FLOWS`` names them."""

from __future__ import annotations

from kit.conf import kit_settings

FLOWS = ("signup", "password_reset", "password_change", "email_change", "mfa", "sessions")
"""Every flow ``ACCOUNT_FLOWS`` may name."""


def flow_enabled(name: str) -> bool:
    """Whether the flow ``name`` (one of :data:`FLOWS`) is on."""
    return name in kit_settings.ACCOUNT_FLOWS
