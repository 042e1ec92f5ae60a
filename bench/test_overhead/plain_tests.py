"""The baseline of the start time: the same small tests with pytest-django alone (``-p no:kit``).

Django's test client and pytest-django's ``db``, no kit fixture: run.py times how long a warm
``--reuse-db`` run of these takes to start, next to the kit's, in the same run.
"""

import os

import pytest

from tests.example.models import Item


@pytest.mark.parametrize("n", range(int(os.environ.get("BENCH_TESTS", "200"))))
def test_read_an_item(client, db, n):
    item = Item.objects.create(name=f"item {n}", count=n)
    response = client.get(f"/items/{item.pk}")
    assert response.status_code == 200
    assert response.json()["data"]["count"] == n
