"""String fields take strings: a number for one is refused, as the OpenAPI document says."""

import pytest
from rest_framework import serializers

from kit import serializers as kit_serializers
from kit.testing import assert_is_problem

pytestmark = pytest.mark.django_db


class Line(kit_serializers.Serializer):
    sku = serializers.CharField()
    quantity = serializers.IntegerField()


class Order(kit_serializers.Serializer):
    email = serializers.EmailField(required=False)
    note = serializers.CharField(required=False, allow_null=True)
    lines = Line(many=True)


@pytest.mark.parametrize("name", [0, 1.5, 10**30])
def test_a_generated_model_serializer_refuses_a_number_for_a_string(auth_client, name):
    client = auth_client(permissions=["categories:create"])

    response = client.post("/api/v1/categories", {"name": name}, format="json")

    problem = assert_is_problem(response, status=400, code="validation_error")
    assert [(error["attr"], error["code"]) for error in problem["errors"]] == [("name", "invalid")]


def test_kit_serializers_refuse_numbers_for_strings_also_nested():
    order = Order(data={"email": 7, "note": None, "lines": [{"sku": 12, "quantity": 1}]})

    assert not order.is_valid()
    assert order.errors["email"] == ["Not a valid string."]
    assert str(order.errors["lines"]).count("Not a valid string.") == 1


def test_other_fields_keep_drf_s_coercion():
    order = Order(data={"note": "gift", "lines": [{"sku": "ab", "quantity": "2"}]})

    assert order.is_valid(), order.errors
    assert order.validated_data["lines"][0]["quantity"] == 2


def test_string_fields_keep_whitespace_so_lengths_and_patterns_count_what_was_sent():
    class Account(kit_serializers.Serializer):
        name = serializers.CharField(max_length=5)
        code = serializers.RegexField(r"^[a-z]+$")
        note = serializers.CharField(trim_whitespace=True, required=False)

    padded = Account(data={"name": "  abcde", "code": " abc"})
    kept = Account(data={"name": " ab ", "code": "abc", "note": " hi "})

    assert not padded.is_valid()
    assert {name: errors[0].code for name, errors in padded.errors.items()} == {
        "name": "max_length",
        "code": "invalid",
    }
    assert kept.is_valid(), kept.errors
    assert kept.validated_data == {"name": " ab ", "code": "abc", "note": "hi"}
