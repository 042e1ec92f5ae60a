"""Cache namespaces: one word before the ``KEY_PREFIX`` of every cache, so processes that share a
cache server but must not share keys (staging and production, a test run and the running service)
never read or write each other's keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def namespace_caches(caches: Mapping[str, Mapping[str, Any]], namespace: str) -> dict[str, dict[str, Any]]:
    """``caches`` (a ``CACHES`` setting) with ``namespace`` before the ``KEY_PREFIX`` of every alias."""
    return {
        alias: {**config, "KEY_PREFIX": ":".join(filter(None, [namespace, config.get("KEY_PREFIX", "")]))}
        for alias, config in caches.items()
    }
