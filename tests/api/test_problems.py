"""Every problem code answered by API views, with RFC 9457 bodies."""

import pytest
from django.test import override_settings

from tests.api.conftest import assert_problem
from tests.example.models import Item

pytestmark = pytest.mark.django_db

VALID_ORDER = {
    "name": "order",
    "count": 1,
    "address": {"city": "Paris", "zip": "75001"},
    "lines": [{"sku": "ab", "quantity": 1}],
}


def test_validation_error_lists_every_problem_with_dotted_attrs_and_pointers(api):
    body = {
        "name": "much too long a name",
        "address": {"zip": "nope"},
        "lines": [{"sku": "ok", "quantity": 1}, {"sku": "toolong", "quantity": 0}],
        "tags": ["ok", "long"],
    }
    response = api.post("/api/test/validation", body, format="json")
    problem = assert_problem(response, 400, "validation_error")
    errors = {(error["attr"], error["code"]): error for error in problem["errors"]}
    assert set(errors) == {
        ("name", "max_length"),
        ("count", "required"),
        ("address.city", "required"),
        ("address.zip", "invalid"),
        ("lines.1.sku", "max_length"),
        ("lines.1.quantity", "min_value"),
        ("tags.1", "max_length"),
    }
    assert errors[("lines.1.sku", "max_length")]["pointer"] == "#/lines/1/sku"
    assert errors[("count", "required")]["detail"] == "This field is required."
    assert problem["detail"].startswith("Invalid input in: name, count, address.city")


def test_non_field_validation_error_has_no_attr_and_points_at_the_object(api):
    response = api.post("/api/test/validation", {**VALID_ORDER, "count": 13}, format="json")
    problem = assert_problem(response, 400, "validation_error")
    assert problem["errors"] == [
        {"attr": None, "code": "unlucky", "detail": "Unlucky order.", "pointer": "#"}
    ]
    assert problem["detail"] == "Unlucky order."


def test_valid_body_is_enveloped(api):
    response = api.post("/api/test/validation", VALID_ORDER, format="json")
    assert response.status_code == 201
    assert response.json()["data"]["name"] == "order"


def test_django_validation_error_is_a_validation_problem(api):
    problem = assert_problem(api.get("/api/test/raise/django-validation"), 400, "validation_error")
    assert {(error["attr"], error["detail"]) for error in problem["errors"]} == {
        ("name", "Too short."),
        (None, "Broken."),
    }


def test_malformed_json_is_a_parse_error(api):
    response = api.post("/api/test/json-only", b'{"name": ', content_type="application/json")
    problem = assert_problem(response, 400, "parse_error")
    assert "JSON parse error" in problem["detail"]


def test_wrong_content_type_is_unsupported_media_type(api):
    response = api.post("/api/test/json-only", b"name=x", content_type="application/x-www-form-urlencoded")
    problem = assert_problem(response, 415, "unsupported_media_type")
    assert "application/x-www-form-urlencoded" in problem["detail"]


def test_missing_credentials_are_unauthenticated_with_www_authenticate(api):
    response = api.get("/api/test/basic-auth")
    assert_problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"] == 'Basic realm="api"'


def test_bad_credentials_are_unauthenticated(api, django_user_model):
    django_user_model.objects.create_user("ann", password="right")
    api.credentials(HTTP_AUTHORIZATION="Basic YW5uOndyb25n")  # ann:wrong
    response = api.get("/api/test/basic-auth")
    problem = assert_problem(response, 401, "unauthenticated")
    assert problem["detail"] == "Invalid username/password."
    assert response["WWW-Authenticate"] == 'Basic realm="api"'


def test_permission_denied_is_forbidden(api):
    problem = assert_problem(api.get("/api/test/forbidden"), 403, "forbidden")
    assert problem["detail"] == "Only robots may enter."


def test_django_permission_denied_is_forbidden(api):
    problem = assert_problem(api.get("/api/test/raise/django-permission"), 403, "forbidden")
    assert problem["detail"] == "Not yours."


def test_missing_object_is_not_found(api):
    problem = assert_problem(api.get("/api/test/items/999"), 404, "not_found")
    assert problem["detail"] == "No Item matches the given query."
    assert problem["instance"] == "/api/test/items/999"


def test_drf_not_found_is_not_found(api):
    assert_problem(api.get("/api/test/raise/drf-not-found"), 404, "not_found")


def test_wrong_method_is_method_not_allowed_with_allow(api):
    response = api.post("/api/test/get-only", {}, format="json")
    problem = assert_problem(response, 405, "method_not_allowed")
    assert problem["detail"] == 'Method "POST" not allowed.'
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    ("method", "extra"),
    [("trace", {"QUERY_STRING": "format=csv"}), ("put", {"HTTP_ACCEPT": "application/xml"}), ("put", {})],
)
def test_a_method_without_handler_is_405_before_negotiation_and_authentication(api, method, extra):
    # /api/v1/items needs credentials and offers CSV to GET only: the method is the problem.
    response = api.generic(method.upper(), "/api/v1/items", **extra)

    assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_unrenderable_accept_is_not_acceptable(api):
    response = api.get("/api/test/get-only", HTTP_ACCEPT="application/xml")
    assert_problem(response, 406, "not_acceptable")


@pytest.mark.django_db(transaction=True)
def test_unique_violation_is_a_conflict(api):
    Item.objects.create(name="taken")
    problem = assert_problem(
        api.post("/api/test/conflict", {"name": "taken"}, format="json"), 409, "conflict"
    )
    assert problem["detail"] == "A resource with the same unique values already exists."
    assert Item.objects.filter(name="taken").count() == 1


def test_throttled_has_retry_after(api):
    response = api.get("/api/test/throttled")
    assert_problem(response, 429, "throttled")
    assert response["Retry-After"] == "13"


def test_registered_exception_class_is_answered_with_its_problem(api):
    problem = assert_problem(api.get("/api/test/registered"), 409, "out_of_stock")
    assert problem["title"] == "Out of stock"
    assert problem["detail"] == "Only 2 left."


def test_problem_exception_keeps_its_headers(api):
    response = api.get("/api/test/raise/problem")
    problem = assert_problem(response, 402, "payment_required")
    assert problem["detail"] == "Top up first."
    assert response["X-Balance"] == "0"


def test_abort_uses_the_kit_code_for_the_status(api):
    problem = assert_problem(api.get("/api/test/raise/abort"), 404, "not_found")
    assert problem["title"] == "Not found"


def test_server_error_hides_the_traceback_and_logs_it_with_the_request_id(api, caplog):
    response = api.get("/api/test/server-error", HTTP_X_REQUEST_ID="trace-me-1")
    problem = assert_problem(response, 500, "server_error")
    assert problem["detail"] == "An unexpected error occurred."
    assert "traceback" not in problem
    assert "secret internals" not in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "kit.problems"]
    assert record.levelname == "ERROR"
    assert "trace-me-1" in record.getMessage()
    assert record.exc_info[0] is RuntimeError


@override_settings(DEBUG=True)
def test_server_error_shows_the_traceback_when_debug(api):
    problem = assert_problem(api.get("/api/test/server-error"), 500, "server_error")
    assert "RuntimeError: boom: secret internals" in problem["traceback"]


def test_server_error_reaches_django_got_request_exception():
    from rest_framework.test import APIClient

    with pytest.raises(RuntimeError, match="boom"):
        APIClient().get("/api/test/server-error")


@override_settings(KIT={"PROBLEM_TYPE_BASE_URL": None})
def test_type_can_be_about_blank(api):
    assert api.get("/api/test/forbidden").json()["type"] == "about:blank"


def test_csv_clients_still_get_json_problems(api):
    response = api.get("/api/test/forbidden", HTTP_ACCEPT="text/csv")
    assert_problem(response, 403, "forbidden")


@pytest.mark.parametrize("path", ["/api/auth/token", "/api/test/json-only"])
def test_json_nested_too_deeply_is_a_parse_error(api, path):
    body = "[" * 1500 + "]" * 1500
    response = api.post(path, body, content_type="application/json")
    problem = assert_problem(response, 400, "parse_error")
    assert problem["detail"] == "JSON parse error - the document is nested too deeply."
