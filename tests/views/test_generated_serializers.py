"""Generated serializers answer exactly what DRF's ModelSerializer answers, through a prepared plan."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import serializers

from kit.serializers.generated import GeneratedModelSerializer, model_serializer_class
from kit.serializers.read_plans import read_plan
from tests.example.models import Category, Item

pytestmark = pytest.mark.django_db


def drf_serializer(model):
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    return type(f"Plain{model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta})


@pytest.fixture
def items():
    tools = Category.objects.create(name="tools")
    owner = get_user_model().objects.create_user("ada")
    rows = [
        Item.objects.create(name="plain"),
        Item.objects.create(
            name="full",
            count=-7,
            price=Decimal("1234.50"),
            is_active=False,
            uid=uuid.UUID(int=42),
            category=tools,
            owner=owner,
        ),
    ]
    Item.objects.filter(pk=rows[1].pk).update(
        created_at=datetime.datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=datetime.UTC)
    )
    return list(Item.objects.order_by("pk"))


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/St_Johns"])
def test_items_read_exactly_as_drf_reads_them(items, zone):
    with timezone.override(zone):
        generated = model_serializer_class(Item)(items, many=True).data
        plain = drf_serializer(Item)(items, many=True).data

    assert generated == plain
    assert [list(row) for row in generated] == [list(row) for row in plain]  # same key order


def test_the_item_serializer_reads_through_its_plan(items):
    plan = read_plan(model_serializer_class(Item))

    assert plan is not None
    assert list(plan.names) == [
        "id", "name", "count", "price", "is_active", "uid", "created_at", "category", "owner"
    ]  # fmt: skip


def test_a_field_outside_the_plan_falls_back_to_drf(items):
    class WithMethod(GeneratedModelSerializer):
        shout = serializers.SerializerMethodField()

        class Meta:
            model = Category
            fields = "__all__"

        def get_shout(self, category):
            return category.name.upper()

    tools = Category.objects.get()

    assert read_plan(WithMethod) is None
    assert WithMethod(tools).data == {"id": tools.pk, "shout": "TOOLS", "name": "tools"}


def test_created_objects_are_answered_through_the_plan(client):
    response = client.post("/api/v1/categories", {"name": "garden"}, content_type="application/json")

    garden = Category.objects.get()
    assert response.json()["data"] == {"id": garden.pk, "name": "garden"}
