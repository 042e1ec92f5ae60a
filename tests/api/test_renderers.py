"""The envelope renderer: DRF-identical JSON, the envelope, opt-outs."""

import datetime
import decimal
import uuid

import pytest
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from kit.api.renderers import EnvelopeJSONRenderer
from kit.request_id import request_id_var
from tests.example.models import Category, Item

SAMPLES = [
    {"when": datetime.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.UTC)},
    {"when": datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=5)))},
    {"naive": datetime.datetime(2026, 1, 2, 3, 4, 5, 1)},
    {"day": datetime.date(2026, 1, 2), "at": datetime.time(10, 30, 0, 5)},
    {"took": datetime.timedelta(days=1, microseconds=3)},
    {"price": decimal.Decimal("12.50"), "tiny": decimal.Decimal("1E-7")},
    {"uid": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"label": gettext_lazy("Items"), "unicode": "naïve ✓ \u2028 \u2029 </script>"},
    {1: "int key", "nested": [{"a": None, "b": True}, (1, 2)], "empty": {}},
    {"big": 2**70, "neg": -(2**63)},
    [1, "two", 3.5, None, 1e16, -2.5e-05, 0.1],
    "just a string",
    1e-07,
    {"text": ",1e5]", "uid": "3e4f"},
]


@pytest.mark.parametrize("data", SAMPLES)
def test_output_is_byte_identical_to_drf(data):
    context = {"view": type("View", (), {"envelope": False})()}
    assert EnvelopeJSONRenderer().render(data, "application/json", context) == JSONRenderer().render(
        data, "application/json", context
    )


TRICKY_TEXT = [",1e5]", "0.00001]", "1e-07}", "e+16,", "\u2028", "\u2029", "</script>", '"\\', "\x7f"]
TRICKY_FLOATS = [1e-05, -1e-05, 0.0001, 9.9999e-05, 1e-07, 5e-324, 1e16, 1e22, -1.5e300, -0.0, 1e15 + 0.5]
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63 - 1, -(2**63), 2**64 - 1, 2**64, -(2**64)])
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(TRICKY_FLOATS)
    | st.text()
    | st.sampled_from(TRICKY_TEXT)
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.datetimes(timezones=st.none() | st.timezones())
    | st.dates()
    | st.times()
    | st.timedeltas()
    | st.uuids()
)
keys = st.text() | st.sampled_from(TRICKY_TEXT) | st.integers() | st.booleans() | st.none()
keys |= st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(TRICKY_FLOATS)
json_data = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(data=json_data)
def test_any_json_data_renders_as_drf_renders_it(data):
    """Any data DRF renders (it refuses NaN and infinities), nested, with keys of every JSON kind."""
    context = {"view": type("View", (), {"envelope": False})()}
    assert EnvelopeJSONRenderer().render(data, "application/json", context) == JSONRenderer().render(
        data, "application/json", context
    )


@pytest.mark.django_db
def test_model_serializer_output_is_byte_identical_to_drf():
    class ItemSerializer(serializers.ModelSerializer):
        class Meta:
            model = Item
            fields = "__all__"

    category = Category.objects.create(name="tools")
    Item.objects.create(name="hammer", count=3, price=decimal.Decimal("9.99"), category=category)
    Item.objects.create(name="nail ✓", price=decimal.Decimal("0.05"))
    data = ItemSerializer(Item.objects.all(), many=True).data
    context = {"view": type("View", (), {"envelope": False})()}
    assert EnvelopeJSONRenderer().render(data, None, context) == JSONRenderer().render(data, None, context)


def test_hex_and_uuid_text_keeps_the_fast_path(monkeypatch):
    from kit.api import renderers

    monkeypatch.setattr(renderers, "_drf_dumps", None)  # any fallback would fail
    renderers.dumps({"id": "a3e4" * 8, "uid": uuid.UUID("1e2e3e4e-5e6e-7e8e-9e0e-1e2e3e4e5e6e"), "n": 1.5})


def test_wraps_data_with_request_id_and_response_meta():
    response = type("Response", (), {"status_code": 200, "meta": {"pagination": {"count": 0}}})()
    token = request_id_var.set("abc")
    try:
        content = EnvelopeJSONRenderer().render([1], None, {"response": response})
    finally:
        request_id_var.reset(token)
    assert content == b'{"data":[1],"meta":{"request_id":"abc","pagination":{"count":0}}}'


def test_indent_falls_back_to_drf_formatting():
    content = EnvelopeJSONRenderer().render({"a": 1}, "application/json; indent=2", {"view": None})
    assert content.decode().startswith('{\n  "data": {\n    "a": 1\n  },')


@pytest.mark.parametrize("media_type", ["application/json", None])
def test_an_indent_in_the_context_without_one_in_the_media_type_is_drf_formatting(media_type):
    content = EnvelopeJSONRenderer().render({"a": 1}, media_type, {"view": None, "indent": 2})
    assert content.decode().startswith('{\n  "data": {\n    "a": 1\n  },')


def test_a_media_type_without_parameters_is_rendered_compact():
    content = EnvelopeJSONRenderer().render({"a": 1}, "application/json", {"view": None, "indent": 0})
    assert content.startswith(b'{"data":{"a":1},')


@pytest.mark.django_db
def test_envelope_view_response(client):
    response = client.get("/api/test/envelope", HTTP_X_REQUEST_ID="req-1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["meta"] == {"request_id": "req-1", "extra": 1}
    assert body["data"]["when"] == "2026-01-02T03:04:05.678000Z"
    assert body["data"]["price"] == 12.5  # DRF's encoder: a raw Decimal is a number
    assert body["data"]["uid"] == "12345678-1234-5678-1234-567812345678"
    assert body["data"]["big"] == 2**70
    assert b"\\u2028" in response.content


@pytest.mark.django_db
def test_envelope_false_renders_data_unwrapped(client):
    assert client.get("/api/test/no-envelope").json() == {"status": "ok"}


@pytest.mark.django_db
def test_no_content_has_an_empty_body(client):
    response = client.delete("/api/test/empty")
    assert response.status_code == 204
    assert response.content == b""
