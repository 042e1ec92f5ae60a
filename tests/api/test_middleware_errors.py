"""Errors raised by middleware after the kit's ``ProblemMiddleware`` are problems under ``/api/``.

Django turns such an exception into its own page where it is raised (the technical 500 page when
DEBUG, ``handler500`` without the exception otherwise); the kit hands it up to ``ProblemMiddleware``
instead: a crash is a 500 ``server_error`` (with the traceback when DEBUG), a database outage met by
a middleware (a session, a user, a project's query) is a 503 ``service_unavailable``.
"""

import logging

import pytest
from django.db import connection
from django.test import override_settings
from django.views.debug import ExceptionReporter

from kit.errors import problems
from tests.api.conftest import assert_problem
from tests.api.test_database_down import announced, closed_port, failing_cursor  # noqa: F401

pytestmark = pytest.mark.django_db

PATH = "/api/test/envelope"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def tracebacks(caplog):
    return [r for r in caplog.records if r.exc_info is not None]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("accept", ["application/json", BROWSER_ACCEPT])
def test_a_crashing_middleware_is_a_server_error_problem(api, announced, caplog, debug, accept):  # noqa: F811
    with override_settings(DEBUG=debug):
        response = api.get(PATH, HTTP_X_TEST_MIDDLEWARE="crash", HTTP_ACCEPT=accept)
    problem = assert_problem(response, 500, "server_error")
    assert problem["detail"] == "An unexpected error occurred."
    if debug:
        assert "ValueError: middleware boom" in problem["traceback"]
    else:
        assert "traceback" not in problem and "boom" not in str(problem)
    assert announced == [PATH]  # once, for error trackers
    [record] = tracebacks(caplog)  # once, by the kit
    assert record.name == "kit.problems" and record.exc_info[0] is ValueError


def test_middleware_errors_outside_the_api_keep_django_pages_for_browsers(api):
    with override_settings(DEBUG=True):
        response = api.get("/ops-test/nowhere", HTTP_X_TEST_MIDDLEWARE="crash", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"middleware boom" in response.content  # Django's technical 500 page


def test_middleware_errors_outside_the_api_are_problems_for_api_clients(api):
    response = api.get("/ops-test/nowhere", HTTP_X_TEST_MIDDLEWARE="crash")
    assert_problem(response, 500, "server_error")


@pytest.mark.parametrize("debug", [False, True])
def test_a_database_outage_met_by_a_middleware_is_service_unavailable(
    api,
    failing_cursor,  # noqa: F811
    announced,  # noqa: F811
    caplog,
    monkeypatch,
    debug,
):
    monkeypatch.setattr(problems, "_outage_logged", False)  # no outage before this test's
    with override_settings(DEBUG=debug):
        responses = [api.get(PATH, HTTP_X_TEST_MIDDLEWARE="database") for _ in range(3)]
    for response in responses:
        problem = assert_problem(response, 503, "service_unavailable")
        assert "traceback" not in problem
    assert announced == [PATH] * 3
    records = [r for r in caplog.records if r.name == "kit.problems"]
    assert [r.exc_info is not None for r in records] == [True, False, False]  # one traceback an outage
    assert len(tracebacks(caplog)) == 1


def test_loading_the_session_user_during_an_outage_is_service_unavailable(
    client, django_user_model, monkeypatch
):
    user = django_user_model.objects.create_user("session-user", password="unused-password-1")
    client.force_login(user)
    client.raise_request_exception = False
    monkeypatch.setattr(connection, "create_cursor", broken_cursor())
    assert_problem(client.get(PATH, HTTP_X_TEST_MIDDLEWARE="user"), 503, "service_unavailable")


def broken_cursor():
    from tests.api.test_database_down import lost_connection_error

    error = lost_connection_error()

    def broken(*args, **kwargs):
        raise error

    return broken


@pytest.mark.postgres
@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_server_met_by_a_middleware_is_service_unavailable(api, caplog):
    if connection.vendor not in ("postgresql", "mysql"):
        pytest.skip("needs a database server (SQLite's test database lives in memory)")
    settings = connection.settings_dict
    saved = settings["HOST"], settings["PORT"]
    connection.close()
    settings["HOST"], settings["PORT"] = "127.0.0.1", closed_port()
    try:
        response = api.get(PATH, HTTP_X_TEST_MIDDLEWARE="database")
    finally:
        connection.close()
        settings["HOST"], settings["PORT"] = saved
    assert_problem(response, 503, "service_unavailable")
    assert all(r.levelno < logging.CRITICAL for r in caplog.records)


def test_the_page_after_a_middleware_error_is_served_normally(api):
    assert_problem(api.get(PATH, HTTP_X_TEST_MIDDLEWARE="crash"), 500, "server_error")
    response = api.get(PATH)
    assert response.status_code == 200


@pytest.mark.parametrize("debug", [False, True])
def test_a_disallowed_host_is_a_bad_request_problem(api, debug):
    with override_settings(DEBUG=debug):
        response = api.get(PATH, HTTP_HOST="evil.example", HTTP_ACCEPT=BROWSER_ACCEPT)
    problem = assert_problem(response, 400, "bad_request")
    assert "traceback" not in problem and "evil.example" not in str(problem)


def test_a_disallowed_host_outside_the_api_keeps_django_debug_page_for_browsers(api):
    with override_settings(DEBUG=True):
        response = api.get("/ops-test/nowhere", HTTP_HOST="evil.example", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"DisallowedHost" in response.content


@override_settings(DEBUG=True, DEFAULT_EXCEPTION_REPORTER="tests.api.test_middleware_errors.Reporter")
def test_the_projects_exception_reporter_still_renders_django_pages(api):
    response = api.get("/ops-test/nowhere", HTTP_X_TEST_MIDDLEWARE="crash", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 500
    assert response.content == b"the project's own debug page"


class Reporter(ExceptionReporter):
    def get_traceback_html(self):
        return "the project's own debug page"
