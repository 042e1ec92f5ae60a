"""The data set of the filter tests: items whose names exercise case, accents and wildcards."""

import datetime
import uuid
from decimal import Decimal

import pytest

from tests.example.models import Category, Item

URL = "/api/v1/filtered-items"
UIDS = {
    name: uuid.UUID(int=index + 1)
    for index, name in enumerate(
        [
            "apple",
            "Apricot",
            "banana",
            "Blueberry",
            "cherry_pie",
            "100% juice",
            "Éclair",
            "éclair mini",
            "back\\slash",
        ]
    )
}
START = datetime.datetime(2024, 1, 1, 12, 0, tzinfo=datetime.UTC)

#: name: (count, price, is_active, category name or None)
ROWS = {
    "apple": (1, "0.50", True, "fruit"),
    "Apricot": (5, "2.25", True, "fruit"),
    "banana": (10, "1.00", False, "fruit"),
    "Blueberry": (0, "3.10", True, None),
    "cherry_pie": (-3, "12.00", True, "dessert"),
    "100% juice": (100, "4.00", False, "drink"),
    "Éclair": (7, "2.50", True, "dessert"),
    "éclair mini": (2, "1.25", True, "dessert"),
    "back\\slash": (3, "0.00", False, None),
}
ALL = set(ROWS)


@pytest.fixture
def categories(db):
    return {name: Category.objects.create(name=name) for name in ("fruit", "dessert", "drink")}


@pytest.fixture
def items(categories):
    """The data set; ``created_at`` is one day apart in ROWS order, from 2024-01-01 12:00 UTC."""
    created = {}
    for day, (name, (count, price, active, category)) in enumerate(ROWS.items()):
        item = Item.objects.create(
            name=name,
            count=count,
            price=Decimal(price),
            is_active=active,
            uid=UIDS[name],
            category=categories.get(category),
        )
        Item.objects.filter(pk=item.pk).update(created_at=START + datetime.timedelta(days=day))
        created[name] = item
    return created


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.data}


def problem_errors(response) -> list[dict] | None:
    """Assert a 400 ``invalid_filter`` answer; return its ``errors`` when the body carries them."""
    assert response.status_code == 400, response.content
    if response["Content-Type"].startswith("application/problem+json"):
        body = response.json()
        assert body["code"] == "invalid_filter"
        return body["errors"]
    assert response.data["detail"].code == "invalid_filter"  # DRF's default exception handler
    return None
