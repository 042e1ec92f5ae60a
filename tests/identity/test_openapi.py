"""The OpenAPI document: security schemes, required permissions, 401/403 where they apply."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


def generate():
    return SchemaGenerator(urlconf="tests.identity.urls").get_schema(request=None, public=True)


@pytest.fixture
def schema():
    return generate()


def test_security_schemes(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["jwtAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert schemes["apiKeyAuth"]["in"] == "header"
    assert schemes["apiKeyAuth"]["name"] == "Authorization"
    assert schemes["apiKeyHeader"] == {**schemes["apiKeyHeader"], "in": "header", "name": "X-API-Key"}
    assert "jwtCookieAuth" not in schemes


def test_cookie_scheme_when_the_cookie_transport_is_on(settings):
    settings.KIT = {"JWT_COOKIE_NAME": "access_token"}
    schema = generate()
    assert schema["components"]["securitySchemes"]["jwtCookieAuth"]["name"] == "access_token"
    assert {"jwtCookieAuth": []} in schema["paths"]["/api/v1/items"]["get"]["security"]


def test_required_permissions_are_documented(schema):
    listing = schema["paths"]["/api/v1/items"]["get"]
    assert listing["x-required-permissions"] == {"all": ["items:read"], "any": []}
    assert "**Required permissions:** `items:read`." in listing["description"]
    assert schema["paths"]["/api/v1/items"]["post"]["x-required-permissions"]["all"] == ["items:create"]
    detail = schema["paths"]["/api/v1/items/{id}"]
    assert detail["put"]["x-required-permissions"]["all"] == ["items:update"]
    assert detail["delete"]["x-required-permissions"]["all"] == ["items:delete"]
    combined = schema["paths"]["/api/v1/combined-permission"]["get"]
    assert combined["x-required-permissions"] == {
        "all": ["reports:download", "reports:read"],
        "any": ["admin", "reports:export"],
    }
    assert "at least one of `admin`, `reports:export`" in combined["description"]


def test_protected_operations_document_401_and_403(schema):
    responses = schema["paths"]["/api/v1/items"]["get"]["responses"]
    assert {"401", "403"} <= set(responses)
    assert {"jwtAuth": []} in schema["paths"]["/api/v1/items"]["get"]["security"]
    assert {} not in schema["paths"]["/api/v1/items"]["get"]["security"]


def test_public_operations_take_optional_credentials(schema):
    whoami = schema["paths"]["/api/v1/whoami"]["get"]
    assert "x-required-permissions" not in whoami
    assert not {"401", "403"} & set(whoami["responses"])
    assert {} in whoami["security"]
    assert {"jwtAuth": []} in whoami["security"]
    method_level = schema["paths"]["/api/v1/method-permission"]
    assert method_level["get"]["x-required-permissions"]["all"] == ["dummy_permission"]
    assert "x-required-permissions" not in method_level["post"]


def test_authenticated_only(schema):
    operation = schema["paths"]["/api/v1/authenticated-only"]["get"]
    assert operation["x-required-permissions"] == {"all": [], "any": []}
    assert "authenticated caller" in operation["description"]


def test_auth_endpoints(schema):
    for path in ("/api/auth/token", "/api/auth/token/refresh", "/api/auth/token/verify", "/api/auth/logout"):
        assert "post" in schema["paths"][path]
        assert {"401", "429"} <= set(schema["paths"][path]["post"]["responses"])
    components = schema["components"]["schemas"]
    assert set(components["TokenObtainRequest"]["properties"]) == {"username", "password", "otp"}
    assert set(components["TokenPair"]["properties"]) == {"access", "refresh"}
    refreshed = schema["paths"]["/api/auth/token/refresh"]["post"]["responses"]["200"]
    assert refreshed["content"]["application/json"]["schema"]["properties"]["data"] == {
        "$ref": "#/components/schemas/RefreshedToken"
    }


def test_null_authentication_adds_no_scheme(schema):
    assert "security" not in schema["paths"]["/api/v1/development"]["get"]
