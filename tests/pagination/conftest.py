"""The example API requires rights (``resource = "items"``): its tests run as a superuser."""

import pytest

from tests.example.models import Item


@pytest.fixture
def client(admin_client):
    """pytest-django's client logged in as a superuser (who holds every permission)."""
    return admin_client


@pytest.fixture
def thirty(db):
    """Items item00 ... item29, created in that order (newest last)."""
    return [Item.objects.create(name=f"item{index:02}", count=index) for index in range(30)]
