"""CORS with django-cors-headers: global origins from settings, extra origins per view."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

PREFLIGHT = {
    "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET",
    "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "x-request-id",
}


def preflight(client, path, origin):
    return client.options(path, HTTP_ORIGIN=origin, **PREFLIGHT)


def test_no_origin_is_allowed_by_default(client):
    response = preflight(client, "/api/test/envelope", "https://app.example")
    assert response.status_code == 200
    assert not response.has_header("Access-Control-Allow-Origin")


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example"])
def test_configured_origin_passes_preflight_and_sees_exposed_headers(client):
    response = preflight(client, "/api/test/envelope", "https://app.example")
    assert response["Access-Control-Allow-Origin"] == "https://app.example"
    assert "x-request-id" in response["Access-Control-Allow-Headers"]
    assert "GET" in response["Access-Control-Allow-Methods"]
    actual = client.get("/api/test/envelope", HTTP_ORIGIN="https://app.example")
    assert actual["Access-Control-Allow-Origin"] == "https://app.example"
    assert "X-Request-ID" in actual["Access-Control-Expose-Headers"]
    assert (
        preflight(client, "/api/test/envelope", "https://evil.example").get("Access-Control-Allow-Origin")
        is None
    )


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example"])
def test_problems_carry_cors_headers(client):
    response = client.get("/api/test/forbidden", HTTP_ORIGIN="https://app.example")
    assert response.status_code == 403
    assert response["Access-Control-Allow-Origin"] == "https://app.example"


def test_view_allows_its_own_origin(client):
    response = preflight(client, "/api/test/partner", "https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "https://partner.example"
    actual = client.get("/api/test/partner", HTTP_ORIGIN="https://partner.example")
    assert actual["Access-Control-Allow-Origin"] == "https://partner.example"
    assert (
        preflight(client, "/api/test/partner", "https://other.example").get("Access-Control-Allow-Origin")
        is None
    )
    # Other views do not accept the partner's origin.
    assert (
        preflight(client, "/api/test/envelope", "https://partner.example").get("Access-Control-Allow-Origin")
        is None
    )


def test_function_view_open_to_every_origin(client):
    response = preflight(client, "/api/test/public-function", "https://anyone.example")
    assert response["Access-Control-Allow-Origin"] == "https://anyone.example"


def test_urls_outside_the_api_get_no_cors(client):
    with override_settings(CORS_ALLOWED_ORIGINS=["https://app.example"]):
        response = client.get("/admin/login/", HTTP_ORIGIN="https://app.example")
    assert not response.has_header("Access-Control-Allow-Origin")
