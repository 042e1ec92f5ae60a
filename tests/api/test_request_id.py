"""Request ids: accepted when well-formed, generated otherwise, echoed everywhere, in logs."""

import logging
import re
import uuid

import pytest

from kit.request_id import RequestIDFilter, request_id_var

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.mark.parametrize("sent", ["abc", "A.b_c-1", "x" * 128, "3f2c8a1e-0000-4000-8000-000000000000"])
def test_well_formed_id_is_accepted_and_echoed(client, sent):
    response = client.get("/api/test/envelope", HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] == sent
    assert response.json()["meta"]["request_id"] == sent


@pytest.mark.parametrize("sent", ["", "x" * 129, "has space", "semi;colon", "new\nline", "ünï"])
def test_malformed_id_is_replaced_by_a_new_one(client, sent):
    response = client.get("/api/test/envelope", HTTP_X_REQUEST_ID=sent)
    assert GENERATED.fullmatch(response["X-Request-ID"])
    assert response.json()["meta"]["request_id"] == response["X-Request-ID"]


def test_a_generated_id_is_a_uuid4_hex(client):
    generated = client.get("/api/test/envelope")["X-Request-ID"]

    assert uuid.UUID(hex=generated).version == 4
    assert uuid.UUID(hex=generated).variant == uuid.RFC_4122
    assert uuid.UUID(hex=generated).hex == generated


def test_each_request_gets_its_own_id(client):
    first = client.get("/api/test/envelope")["X-Request-ID"]
    second = client.get("/api/test/envelope")["X-Request-ID"]
    assert first != second


def test_id_is_echoed_on_errors_and_outside_drf(client):
    for url in ("/api/test/forbidden", "/no/such/url", "/api/test/plain/not-found"):
        response = client.get(url, HTTP_X_REQUEST_ID="err-1")
        assert response["X-Request-ID"] == "err-1"
        assert response.json()["request_id"] == "err-1"


def test_id_is_reset_after_the_request(client):
    client.get("/api/test/envelope", HTTP_X_REQUEST_ID="gone")
    assert request_id_var.get() is None


def test_logging_filter_adds_the_request_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "msg", (), None)
    token = request_id_var.set("log-1")
    try:
        RequestIDFilter().filter(record)
    finally:
        request_id_var.reset(token)
    assert record.request_id == "log-1"
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "msg", (), None)
    RequestIDFilter().filter(outside)
    assert outside.request_id == "-"
