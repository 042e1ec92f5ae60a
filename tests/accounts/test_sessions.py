"""The user's sessions at /api/auth/sessions: one per login, revocable one by one."""

from rest_framework_simplejwt.settings import api_settings

from kit.accounts.models import AuthSession
from tests.accounts.conftest import PASSWORD, logged_in, problem

SESSIONS = "/api/auth/sessions"


def test_each_login_is_a_session_the_user_can_end(api_client, user, django_user_model):
    phone = logged_in(user)
    laptop = logged_in(user)
    listed = laptop.get(SESSIONS, HTTP_USER_AGENT="ignored").json()["data"]
    assert len(listed) == 2
    assert [session["current"] for session in listed].count(True) == 1
    current = next(session for session in listed if session["current"])
    other = next(session for session in listed if not session["current"])
    assert current["ip_address"] == "127.0.0.1" and set(current) >= {"id", "created_at", "expires_at"}

    assert laptop.delete(f"{SESSIONS}/{other['id']}").status_code == 204
    problem(phone.get(SESSIONS), 401, "unauthenticated")  # its access token
    refresh = api_client.post("/api/auth/token/refresh", {"refresh": phone.tokens["refresh"]}, format="json")
    problem(refresh, 401, "unauthenticated")  # and its refresh token
    assert [session["id"] for session in laptop.get(SESSIONS).json()["data"]] == [current["id"]]


def test_refreshing_keeps_the_session(api_client, user, monkeypatch):
    monkeypatch.setattr(api_settings, "ROTATE_REFRESH_TOKENS", True)
    client = logged_in(user)
    refreshed = api_client.post(
        "/api/auth/token/refresh", {"refresh": client.tokens["refresh"]}, format="json"
    )
    assert refreshed.status_code == 200
    assert AuthSession.objects.count() == 1
    session = AuthSession.objects.get()
    assert client.delete(f"{SESSIONS}/{session.sid}").status_code == 204
    again = api_client.post(
        "/api/auth/token/refresh", {"refresh": refreshed.json()["data"]["refresh"]}, format="json"
    )
    problem(again, 401, "unauthenticated")  # the rotated token belongs to the ended session


def test_logout_ends_the_session(user):
    client = logged_in(user)
    assert (
        client.post("/api/auth/logout", {"refresh": client.tokens["refresh"]}, format="json").status_code
        == 204
    )
    assert not AuthSession.objects.exists()


def test_other_users_sessions_are_not_found(user, django_user_model):
    django_user_model.objects.create_user(username="bob", password=PASSWORD)
    bob = logged_in("bob")
    ada = logged_in(user)
    bobs = AuthSession.objects.get(user__username="bob").sid
    problem(ada.delete(f"{SESSIONS}/{bobs}"), 404, "not_found")
    problem(ada.delete(f"{SESSIONS}/no-such-session"), 404, "not_found")
    assert len(bob.get(SESSIONS).json()["data"]) == 1


def test_sessions_need_a_login(api_client, db):
    problem(api_client.get(SESSIONS), 401, "unauthenticated")
