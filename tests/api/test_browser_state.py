"""Sessions and messages are made on first use: an API request pays for neither, the admin has both."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(monkeypatch):
    """Counts the session stores and message storages built while serving requests."""
    counts = {"sessions": 0, "messages": 0}
    for cls, key in ((SessionStore, "sessions"), (FallbackStorage, "messages")):
        original = cls.__init__

        def counting(self, *args, _original=original, _key=key, **kwargs):
            counts[_key] += 1
            _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counting)
    return counts


def test_an_api_request_builds_no_session_and_no_message_storage(client, built):
    response = client.get("/api/test/envelope")

    assert response.status_code == 200
    assert built == {"sessions": 0, "messages": 0}
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_a_login_from_a_first_visit_sets_the_session_and_csrf_cookies(built):
    get_user_model().objects.create_superuser("root", "root@example.test", "pw")
    browser = Client(enforce_csrf_checks=True)

    form = browser.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode()).group(1)
    assert "csrftoken" in form.cookies
    credentials = {"username": "root", "password": "pw"}
    refused = Client(enforce_csrf_checks=True).post("/admin/login/", credentials)
    logged_in = browser.post("/admin/login/", {**credentials, "csrfmiddlewaretoken": token})

    assert refused.status_code == 403
    assert logged_in.status_code == 302
    assert "sessionid" in logged_in.cookies
    assert "Cookie" in logged_in["Vary"]
    assert browser.get("/admin/").status_code == 200
    assert built["sessions"] >= 1


def test_an_invalid_session_cookie_is_deleted_as_django_does(client):
    client.cookies["sessionid"] = "short"

    response = client.get("/api/test/envelope")

    assert response.cookies["sessionid"].value == ""
    assert response.cookies["sessionid"]["max-age"] == 0


def test_a_lazy_object_made_in_one_call_holds_what_djangos_holds():
    from django.utils.functional import SimpleLazyObject, empty

    from kit.browser_state import on_first_use

    def build():
        return {"built": True}

    (ours, state), djangos = on_first_use(build), SimpleLazyObject(build)

    assert type(ours) is SimpleLazyObject
    assert state is object.__getattribute__(ours, "__dict__")
    assert state == object.__getattribute__(djangos, "__dict__") == {"_setupfunc": build, "_wrapped": empty}
    assert ours == djangos == {"built": True}
    assert state["_wrapped"] == {"built": True}


def test_the_session_cookie_name_follows_the_setting(client, settings):
    client.get("/api/test/envelope")  # the name is read
    settings.SESSION_COOKIE_NAME = "kit_session"
    client.cookies["kit_session"] = "short"

    response = client.get("/api/test/envelope")

    assert response.cookies["kit_session"].value == ""  # Django's handling: the invalid cookie is deleted
    assert "sessionid" not in response.cookies


def test_under_asgi_the_middleware_are_djangos_own():
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    browser = AsyncClient()
    api_response = async_to_sync(browser.get)("/api/test/envelope")
    login_form = async_to_sync(browser.get)("/admin/login/")

    assert api_response.status_code == 200
    assert not api_response.cookies
    assert "Cookie" not in api_response.get("Vary", "")
    assert login_form.status_code == 200
    assert "csrftoken" in login_form.cookies


def _users_seen(middleware_class, request):
    """What a view after ``middleware_class`` finds on ``request``: the lazy user and ``auser``'s user."""
    from asgiref.sync import async_to_sync

    seen = {}

    def view(request):
        seen["type"] = type(request.user)
        seen["user"] = request.user  # evaluated below, as a view would
        seen["pk"] = request.user.pk
        seen["authenticated"] = request.user.is_authenticated
        seen["auser"] = async_to_sync(request.auser)()
        return "response"

    assert middleware_class(view)(request) == "response"
    return seen


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_authentication_middleware_gives_the_user_djangos_gives(logged_in, rf):
    from django.contrib.auth import login
    from django.contrib.auth.middleware import AuthenticationMiddleware as Djangos
    from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessions

    from kit.browser_state import AuthenticationMiddleware

    user = get_user_model().objects.create_user("ada", "ada@example.test", "pw")
    session_key = None
    if logged_in:
        request = rf.get("/")
        DjangoSessions(lambda r: None).process_request(request)
        request.user = user
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.save()
        session_key = request.session.session_key

    seen = []
    for middleware_class in (AuthenticationMiddleware, Djangos):
        request = rf.get("/")
        if session_key:
            request.COOKIES["sessionid"] = session_key
        DjangoSessions(lambda r: None).process_request(request)
        seen.append(_users_seen(middleware_class, request))

    ours, djangos = seen
    assert ours == djangos
    assert ours["pk"] == (user.pk if logged_in else None)


def test_the_authentication_middleware_without_sessions_is_refused_as_djangos(rf):
    from django.contrib.auth.middleware import AuthenticationMiddleware as Djangos
    from django.core.exceptions import ImproperlyConfigured

    from kit.browser_state import AuthenticationMiddleware

    messages = []
    for middleware_class in (AuthenticationMiddleware, Djangos):
        with pytest.raises(ImproperlyConfigured) as refused:
            middleware_class(lambda request: None)(rf.get("/"))
        messages.append(str(refused.value))
    assert messages[0] == messages[1]
