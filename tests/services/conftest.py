"""A real HTTP server standing in for upstreams, and a way to point an upstream at it."""

import pytest

from tests.services.upstream_server import UpstreamServer


@pytest.fixture(scope="module")
def server():
    upstream = UpstreamServer()
    yield upstream
    upstream.stop()


@pytest.fixture
def configure(settings):
    """``configure("users", URL=[...], RETRIES=0)``: set ``KIT["UPSTREAMS"][name]`` for the test
    (clients and their breakers are built again)."""

    def set_upstream(name, **entry):
        kit = dict(getattr(settings, "KIT", {}) or {})
        kit["UPSTREAMS"] = {**kit.get("UPSTREAMS", {}), name: entry}
        settings.KIT = kit

    return set_upstream
