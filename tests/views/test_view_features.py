"""Features of ``kit.views`` beyond the example API: helpers, filters, lookups, routers, serializers."""

import pytest
from django.db.models import QuerySet
from rest_framework import serializers

from kit.serializers.generated import model_serializer_class
from kit.views import ModelView
from tests.example.models import Category, Item

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.views.urls")]

JSON = "application/json"


def test_validated_body_and_query(client):
    response = client.post(
        "/greeting?shout=true&tags=a&tags=b", {"name": "ada", "times": 2}, content_type=JSON
    )

    assert response.status_code == 200
    assert response.data == {"text": "HELLO ADA HELLO ADA", "tags": ["a", "b"]}


def test_invalid_body_answers_400(client):
    response = client.post("/greeting", {"name": "x" * 21, "times": 9}, content_type=JSON)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert {(error["attr"], error["code"]) for error in body["errors"]} == {
        ("name", "max_length"),
        ("times", "max_value"),
    }


def test_invalid_query_answers_400(client):
    response = client.post("/greeting?shout=perhaps", {"name": "ada"}, content_type=JSON)

    assert response.status_code == 400
    assert [(error["attr"], error["code"]) for error in response.json()["errors"]] == [("shout", "invalid")]


def test_query_serializer_parameters_are_known_to_the_filter_backend(client):
    Item.objects.create(name="saw", is_active=True)
    Item.objects.create(name="old", is_active=False)

    response = client.get("/item-names?upper=true&is_active=true")

    assert response.status_code == 200
    assert [row["name"] for row in response.data] == ["SAW"]
    assert client.get("/item-names?lower=true").status_code == 400


def test_filters_apply_to_lists_but_never_to_detail_lookups(client):
    inactive = Item.objects.create(name="old", is_active=False)
    Item.objects.create(name="new")

    listed = client.get("/items/?is_active=true")
    detail = client.get(f"/items/{inactive.pk}/?is_active=true")

    assert [row["name"] for row in listed.data] == ["new"]
    assert detail.status_code == 200
    assert detail.data["name"] == "old"


def test_view_ordering_orders_the_list(client):
    for name in ("b", "c", "a"):
        Item.objects.create(name=name)

    assert [row["name"] for row in client.get("/items/").data] == ["a", "b", "c"]


def test_location_keeps_the_trailing_slash_convention(client):
    response = client.post("/items/", {"name": "saw"}, content_type=JSON)

    assert response["Location"] == f"http://testserver/items/{Item.objects.get().pk}/"


def test_lookup_field(client):
    Item.objects.create(name="hammer", count=2)

    assert client.get("/items/by-name/hammer").data["count"] == 2
    assert client.get("/items/by-name/saw").status_code == 404


def test_default_router(client):
    created = client.post("/router/categories/", {"name": "tools"}, content_type=JSON)

    assert created.status_code == 201
    assert created["Location"] == f"http://testserver/router/categories/{Category.objects.get().pk}/"
    assert client.get(created["Location"]).data["name"] == "tools"
    assert client.put("/router/categories/", {"name": "x"}, content_type=JSON).status_code == 405


def test_model_alone_sets_the_queryset_and_a_cached_serializer():
    class Categories(ModelView):
        model = Category

    class Items(ModelView):
        queryset = Item.objects.filter(is_active=True)

    assert Categories.queryset.model is Category
    assert Items.model is Item
    serializer_class = Categories().get_serializer_class()
    assert serializer_class is model_serializer_class(Category)
    assert issubclass(serializer_class, serializers.ModelSerializer)
    fields = serializer_class().fields
    assert fields["id"].read_only
    assert not fields["name"].read_only


def test_generated_serializer_makes_automatic_fields_read_only():
    fields = model_serializer_class(Item)().fields

    assert set(fields) == {
        "id",
        "name",
        "count",
        "price",
        "is_active",
        "uid",
        "created_at",
        "category",
        "owner",
    }
    assert {name for name, field in fields.items() if field.read_only} == {"id", "uid", "created_at"}


def test_a_subclass_with_another_model_gets_its_own_queryset():
    class Categories(ModelView):
        model = Category

    class Items(Categories):
        model = Item

    assert Items.queryset.model is Item


def test_the_ordered_queryset_is_the_class_querysets_ordered_anew_for_each_request():
    class Items(ModelView):
        queryset = Item.objects.filter(is_active=True)
        ordering = ("name", "-id")

    Item.objects.create(name="b")
    Item.objects.create(name="a")
    first, second = Items().get_queryset(), Items().get_queryset()
    expected = Item.objects.filter(is_active=True).order_by("name", "-id")

    assert first is not second
    assert str(first.query) == str(second.query) == str(expected.query)
    assert [item.name for item in first] == ["a", "b"]
    assert second._result_cache is None  # reading one copy leaves the others unread
    Item.objects.create(name="c")
    assert [item.name for item in second] == ["a", "b", "c"]


def test_the_ordered_queryset_follows_the_views_queryset_and_ordering():
    class Items(ModelView):
        queryset = Item.objects.all()
        ordering = ("name",)

    Items().get_queryset()
    view = Items()
    view.ordering = ("-count",)
    assert view.get_queryset().query.order_by == ("-count",)
    Items.queryset = Item.objects.filter(count=3)
    queryset = Items().get_queryset()
    assert queryset.query.order_by == ("name",)
    assert str(queryset.query) == str(Item.objects.filter(count=3).order_by("name").query)

    class Subclass(Items):
        ordering = ("id",)

    assert Subclass().get_queryset().query.order_by == ("id",)
    assert Items().get_queryset().query.order_by == ("name",)


def test_a_querysets_own_order_by_runs_for_each_request():
    calls = []

    class CountingQuerySet(QuerySet):
        def order_by(self, *fields):
            calls.append(fields)
            return super().order_by(*fields)

    class Items(ModelView):
        queryset = CountingQuerySet(model=Item)
        ordering = ("name",)

    Items().get_queryset()
    Items().get_queryset()
    assert calls == [("name",), ("name",)]
