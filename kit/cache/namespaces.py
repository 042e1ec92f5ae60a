"""Cache namespaces: one word before the ``KEY_PREFIX`` of every cache, so processes that share a
cache server but must not share keys (staging and production, a test run and the running service)
never read or write each other's keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings


def namespace_caches(caches: Mapping[str, Mapping[str, Any]], namespace: str) -> dict[str, dict[str, Any]]:
    """``caches`` (a ``CACHES`` setting) with ``namespace`` before the ``KEY_PREFIX`` of every alias."""
    return {
        alias: {**config, "KEY_PREFIX": ":".join(filter(None, [namespace, config.get("KEY_PREFIX", "")]))}
        for alias, config in caches.items()
    }


def in_namespace(name: str) -> str:
    """``name`` under ``CACHE_NAMESPACE`` (``staging:name``), or ``name``: for the names the kit
    writes to Redis itself, outside Django's caches (task queues, periodic claims)."""
    namespace = getattr(settings, "CACHE_NAMESPACE", None)
    return f"{namespace}:{name}" if namespace else name
