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


KITS = "kit.api.cors.CorsMiddleware"
CORSHEADERS = "corsheaders.middleware.CorsMiddleware"


def served_with(settings, cors_middleware, method, path, **headers):
    """Status, headers and body of a request served with ``cors_middleware`` in place of the kit's."""
    from django.test import Client

    settings.MIDDLEWARE = [cors_middleware if name == KITS else name for name in settings.MIDDLEWARE]
    response = getattr(Client(), method)(path, HTTP_X_REQUEST_ID="same-id", **headers)  # loads MIDDLEWARE
    if path.startswith("/admin/"):  # the login form: its CSRF token and its Expires (now) vary
        return response.status_code, {k: v for k, v in response.headers.items() if k != "Expires"}
    return response.status_code, dict(response.headers), response.content


REQUESTS = [
    (method, path, headers)
    for path in (
        "/api/test/envelope",
        "/api/test/partner",
        "/api/test/public-function",
        "/admin/login/",
        "/nowhere",
    )
    for origin in (None, "", "https://app.example", "https://partner.example")
    for method, headers in (
        ("get", {} if origin is None else {"HTTP_ORIGIN": origin}),
        ("options", {**PREFLIGHT, **({} if origin is None else {"HTTP_ORIGIN": origin})}),
    )
]


@pytest.mark.parametrize("enabled_everywhere", [False, True])
@pytest.mark.parametrize(("method", "path", "headers"), REQUESTS)
def test_the_kits_cors_middleware_answers_as_django_cors_headers(
    settings, method, path, headers, enabled_everywhere
):
    from corsheaders.signals import check_request_enabled

    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    settings.CORS_URLS_REGEX = r"^/api/test/(envelope|partner)"

    def enable(sender, request, **kwargs):
        return True

    if enabled_everywhere:  # a project's receiver: CORS on for every request (Vary: origin everywhere)
        check_request_enabled.connect(enable, dispatch_uid="test.enable")
    try:
        ours = served_with(settings, KITS, method, path, **headers)
        theirs = served_with(settings, CORSHEADERS, method, path, **headers)
    finally:
        check_request_enabled.disconnect(dispatch_uid="test.enable")

    assert ours == theirs
    assert KITS in settings.MIDDLEWARE or CORSHEADERS in settings.MIDDLEWARE


def test_the_signal_only_the_kit_receives_is_not_sent_for_a_request_without_origin(client, monkeypatch):
    from corsheaders.signals import check_request_enabled

    sent = []
    send = check_request_enabled.send
    monkeypatch.setattr(
        check_request_enabled, "send", lambda *args, **kwargs: sent.append(1) or send(*args, **kwargs)
    )

    client.get("/admin/login/")
    assert sent == []
    client.get("/admin/login/", HTTP_ORIGIN="https://partner.example")
    assert len(sent) == 1
