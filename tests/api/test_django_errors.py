"""Django-level errors (outside DRF views) answer problems, except for the admin and browsers."""

import pytest
from django.test import override_settings

from tests.api.conftest import assert_problem

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_url_is_not_found(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get("/no/such/url")
    assert_problem(response, 404, "not_found")


@pytest.mark.parametrize("accept", ["application/json", "*/*", "application/problem+json"])
def test_api_clients_get_problems(client, accept):
    assert_problem(client.get("/no/such/url", HTTP_ACCEPT=accept), 404, "not_found")


def test_browsers_get_django_html_pages(client):
    response = client.get("/no/such/url", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_admin_keeps_django_html_pages(client, admin_client):
    response = admin_client.get("/admin/no-such-page/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("debug", [False, True])
def test_http404_in_a_plain_view_is_not_found(client, debug):
    with override_settings(DEBUG=debug):
        problem = assert_problem(client.get("/api/test/plain/not-found"), 404, "not_found")
    assert problem["detail"] == "Nothing here."


def test_wrong_method_on_a_plain_view_is_method_not_allowed(client):
    response = client.get("/api/test/plain/post-only")
    assert_problem(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


def test_exception_in_a_plain_view_is_a_server_error(client, caplog):
    client.raise_request_exception = False
    response = client.get("/api/test/plain/server-error")
    problem = assert_problem(response, 500, "server_error")
    assert "traceback" not in problem
    assert any(r.name == "kit.problems" and r.exc_info[0] is ValueError for r in caplog.records)


@override_settings(DEBUG=True)
def test_exception_in_a_plain_view_shows_the_traceback_when_debug(client):
    client.raise_request_exception = False
    problem = assert_problem(client.get("/api/test/plain/server-error"), 500, "server_error")
    assert "ValueError: plain boom" in problem["traceback"]


def test_handlers_answer_problems(rf):
    from django.core.exceptions import DisallowedHost, PermissionDenied, RequestDataTooBig
    from django.http import Http404

    from kit.errors import handlers

    request = rf.get("/x")
    request.resolver_match = None
    cases = [
        (handlers.bad_request(request, DisallowedHost("bad host")), 400, "bad_request"),
        (handlers.bad_request(request, RequestDataTooBig("big")), 413, "payload_too_large"),
        (handlers.permission_denied(request, PermissionDenied()), 403, "forbidden"),
        (handlers.page_not_found(request, Http404()), 404, "not_found"),
        (handlers.server_error(request), 500, "server_error"),
        (handlers.csrf_failure(request, "no token"), 403, "forbidden"),
    ]
    for response, status, code in cases:
        assert response.status_code == status
        assert response["Content-Type"] == "application/problem+json"
        assert response.content.count(f'"code":"{code}"'.encode()) == 1


def test_handlers_render_html_for_browsers(rf):
    from kit.errors import handlers

    request = rf.get("/x", HTTP_ACCEPT=BROWSER_ACCEPT)
    request.resolver_match = None
    response = handlers.server_error(request)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


@override_settings(ALLOWED_HOSTS=["only.example"])
def test_disallowed_host_raised_in_middleware_is_a_problem(client):
    response = client.get("/api/test/get-only", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "bad_request"


def test_csrf_failure_on_a_plain_view_is_forbidden():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/api/test/plain/post-only")
    problem = assert_problem(response, 403, "forbidden")
    assert problem["detail"].startswith("CSRF verification failed")


@pytest.mark.parametrize("debug", [False, True])
def test_api_paths_answer_problems_to_browsers_too(client, debug):
    with override_settings(DEBUG=debug):
        response = client.get("/api/no/such/url", HTTP_ACCEPT=BROWSER_ACCEPT)
        assert_problem(response, 404, "not_found")
        assert_problem(client.get("/api/test/plain/not-found", HTTP_ACCEPT=BROWSER_ACCEPT), 404, "not_found")
        assert_problem(
            client.get("/api/test/plain/post-only", HTTP_ACCEPT=BROWSER_ACCEPT), 405, "method_not_allowed"
        )
        assert_problem(client.get("/api/test/items/999999", HTTP_ACCEPT=BROWSER_ACCEPT), 404, "not_found")


@override_settings(KIT={"API_PATH_PREFIXES": ["/services/"]})
def test_the_api_paths_are_a_setting(client):
    assert_problem(client.get("/services/nothing", HTTP_ACCEPT=BROWSER_ACCEPT), 404, "not_found")
    assert client.get("/api/no/such/url", HTTP_ACCEPT=BROWSER_ACCEPT)["Content-Type"].startswith("text/html")
