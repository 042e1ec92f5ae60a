"""The HttpOnly cookie transport: cookies set on login, CSRF required for unsafe methods."""

import pytest
from rest_framework.test import APIClient

from tests.identity.conftest import PASSWORD
from tests.identity.helpers import data, problem

pytestmark = pytest.mark.django_db

COOKIE = "access_token"


@pytest.fixture(autouse=True)
def cookie_transport(settings):
    settings.KIT = {"JWT_COOKIE_NAME": COOKIE, "JWT_COOKIE_DOMAIN": "example.test"}


@pytest.fixture
def browser():
    return APIClient(enforce_csrf_checks=True)


def login(browser):
    response = browser.post("/api/auth/token", {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    return response


def test_login_sets_httponly_cookies_and_a_csrf_cookie(browser, user, settings):
    response = login(browser)
    access, refresh = response.cookies[COOKIE], response.cookies[f"{COOKIE}_refresh"]
    for cookie in (access, refresh):
        assert cookie["httponly"]
        assert cookie["secure"]  # DEBUG is off
        assert cookie["samesite"] == "Lax"
        assert cookie["domain"] == "example.test"
    assert access["path"] == "/"
    assert refresh["path"] == "/api/auth/"
    assert int(access["max-age"]) == 300
    assert int(refresh["max-age"]) == 86400
    assert "csrftoken" in response.cookies


def test_cookie_options(browser, user, settings):
    settings.DEBUG = True
    settings.KIT = {"JWT_COOKIE_NAME": COOKIE, "JWT_COOKIE_SAMESITE": "Strict", "JWT_COOKIE_MAX_AGE": 60}
    access = login(browser).cookies[COOKIE]
    assert not access["secure"]
    assert access["samesite"] == "Strict"
    assert int(access["max-age"]) == 60


def test_safe_requests_authenticate_with_the_cookie(browser, user):
    login(browser)
    assert data(browser.get("/api/v1/whoami")) == {"user": "alice", "authenticated": True}


def test_unsafe_requests_need_the_csrf_token(browser, user):
    login(browser)
    assert "CSRF" in problem(browser.post("/api/v1/whoami"), 403, "forbidden")["detail"]
    csrf = browser.cookies["csrftoken"].value
    response = browser.post("/api/v1/whoami", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200
    assert data(response) == {"user": "alice"}


def test_bearer_header_needs_no_csrf_token(browser, user, obtain_tokens):
    access = obtain_tokens()["access"]
    browser.cookies[COOKIE] = "stale"  # a header wins over the cookie
    response = browser.post("/api/v1/whoami", HTTP_AUTHORIZATION=f"Bearer {access}")
    assert response.status_code == 200


def test_bad_cookie_is_401(browser, db):
    browser.cookies[COOKIE] = "not-a-token"
    problem(browser.get("/api/v1/whoami"), 401, "unauthenticated")


def test_refresh_from_the_cookie_needs_csrf(browser, user):
    login(browser)
    assert browser.post("/api/auth/token/refresh").status_code == 403
    csrf = browser.cookies["csrftoken"].value
    response = browser.post("/api/auth/token/refresh", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200
    assert response.cookies[COOKIE].value == data(response)["access"]


def test_logout_deletes_the_cookies_and_revokes(browser, user):
    login(browser)
    access = browser.cookies[COOKIE].value
    csrf = browser.cookies["csrftoken"].value
    response = browser.post("/api/auth/logout", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 204
    assert response.cookies[COOKIE].value == ""
    assert response.cookies[f"{COOKIE}_refresh"].value == ""
    assert APIClient().get("/api/v1/whoami", HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 401


def test_without_the_option_cookies_are_ignored(browser, user, settings, obtain_tokens):
    settings.KIT = {}
    browser.cookies[COOKIE] = obtain_tokens()["access"]
    assert data(browser.get("/api/v1/whoami"))["authenticated"] is False
    assert COOKIE not in login(browser).cookies
