"""BENCH_TESTS small API tests (200 by default): create a row, read it through the API."""

import os

import pytest

from tests.example.models import Item


@pytest.mark.parametrize("n", range(int(os.environ.get("BENCH_TESTS", "200"))))
def test_read_an_item(api_client, n):
    item = Item.objects.create(name=f"item {n}", count=n)
    response = api_client.get(f"/items/{item.pk}")
    assert response.status_code == 200
    assert response.data["count"] == n
