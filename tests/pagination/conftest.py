"""The example API requires rights (``resource = "items"``): its tests run as a superuser."""

import pytest


@pytest.fixture
def client(admin_client):
    """pytest-django's client logged in as a superuser (who holds every permission)."""
    return admin_client
