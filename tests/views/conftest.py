"""The example API requires rights (``resource = "items"``): its tests run as a superuser."""

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def client(client, db):
    """pytest-django's client, logged in as a superuser (who holds every permission)."""
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.test", "pw"))
    return client
