"""Fixtures shared by the kit's test suite: real services, reachable or (in CI) a failure."""

import os
import socket
from urllib.parse import urlsplit

import pytest

IN_CI = os.environ.get("CI") == "true"


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    except OSError:
        return False
    return True


def require_service(url: str, name: str) -> str:
    """Return ``url`` when the service answers; skip the test, or fail it in CI, when it does not."""
    if not _reachable(url):
        message = f"{name} at {url} is unreachable"
        if IN_CI:
            pytest.fail(f"{message} (CI=true: unreachable services are failures)")
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    """URL of a real Redis (``KIT_TEST_REDIS_URL``); its database is flushed by the tests using it."""
    return require_service(os.environ.get("KIT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"), "Redis")


@pytest.fixture
def invalidations_checked(db, settings):
    """Count queries without the periodic check for recorded cache invalidations (kit.cache.strict):
    done now, and not due again during the test."""
    from kit.cache.strict import apply_recorded_invalidations

    settings.KIT = {**getattr(settings, "KIT", {}), "CACHE_INVALIDATION_CHECK_SECONDS": 3600}
    apply_recorded_invalidations()
