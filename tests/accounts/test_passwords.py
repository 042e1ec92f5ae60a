"""Password reset by email (one-time, expiring token) and password change; both revoke tokens."""

from django.contrib.auth import get_user_model

from tests.accounts.conftest import NEW_PASSWORD, PASSWORD, code_in, logged_in, login, problem

RESET = "/api/auth/password/reset"
CONFIRM = "/api/auth/password/reset/confirm"
CHANGE = "/api/auth/password/change"


def reset(client, email="ada@example.com"):
    return client.post(RESET, {"email": email}, format="json")


def confirm(client, token, password=NEW_PASSWORD):
    return client.post(CONFIRM, {"token": token, "password": password}, format="json")


def test_reset_sets_the_password_and_revokes_every_token(api_client, user, mail_outbox):
    before = logged_in(user)
    assert reset(api_client).status_code == 202
    [message] = mail_outbox
    assert message.to == ["ada@example.com"] and "reset your password" in message.subject

    assert confirm(api_client, code_in(message)).status_code == 204
    problem(before.get("/api/auth/sessions"), 401, "unauthenticated")  # the old access token
    refresh = api_client.post("/api/auth/token/refresh", {"refresh": before.tokens["refresh"]}, format="json")
    problem(refresh, 401, "unauthenticated")
    problem(login(api_client), 401, "unauthenticated")
    assert login(api_client, password=NEW_PASSWORD).status_code == 200


def test_unknown_and_inactive_addresses_get_the_same_answer_and_no_email(api_client, user, mail_outbox):
    get_user_model().objects.create_user(
        username="bob", email="bob@example.com", password=PASSWORD, is_active=False
    )
    answers = [
        reset(api_client, email) for email in ("ada@example.com", "nobody@example.com", "bob@example.com")
    ]
    assert {response.status_code for response in answers} == {202}
    assert len({str(response.json()["data"]) for response in answers}) == 1
    assert [m.to for m in mail_outbox] == [["ada@example.com"]]


def test_a_reused_tampered_expired_or_outdated_token_is_refused(api_client, user, mail_outbox, settings):
    reset(api_client)
    token = code_in(mail_outbox[0])
    problem(
        confirm(api_client, token.replace(token[5], "A" if token[5] != "A" else "B", 1)), 400, "invalid_token"
    )
    assert confirm(api_client, token).status_code == 204
    problem(confirm(api_client, token, password="yet another passphrase 7"), 400, "invalid_token")

    reset(api_client)
    outdated = code_in(mail_outbox[-1])
    reset(api_client)
    assert (
        confirm(api_client, code_in(mail_outbox[-1]), password="yet another passphrase 7").status_code == 204
    )
    problem(confirm(api_client, outdated), 400, "invalid_token")  # issued for the previous password

    settings.KIT = {**settings.KIT, "ACCOUNT_RESET_MAX_AGE": 0}
    reset(api_client)
    problem(confirm(api_client, code_in(mail_outbox[-1])), 400, "invalid_token")


def test_a_weak_password_does_not_use_the_token_up(api_client, user, mail_outbox):
    reset(api_client)
    token = code_in(mail_outbox[0])
    body = problem(confirm(api_client, token, password="short"), 400, "validation_error")
    assert [error["attr"] for error in body["errors"]] == ["password"]
    assert confirm(api_client, token).status_code == 204


def test_change_revokes_the_other_tokens_and_answers_new_ones(api_client, user):
    other, current = logged_in(user), logged_in(user)
    wrong = current.post(CHANGE, {"current_password": "nope", "password": NEW_PASSWORD}, format="json")
    assert problem(wrong, 400, "validation_error")["errors"][0]["attr"] == "current_password"

    response = current.post(CHANGE, {"current_password": PASSWORD, "password": NEW_PASSWORD}, format="json")
    assert response.status_code == 200
    problem(other.get("/api/auth/sessions"), 401, "unauthenticated")
    problem(current.get("/api/auth/sessions"), 401, "unauthenticated")
    renewed = api_client.post(
        "/api/auth/token/refresh", {"refresh": response.json()["data"]["refresh"]}, format="json"
    )
    assert renewed.status_code == 200
    sessions = logged_in(user, NEW_PASSWORD).get("/api/auth/sessions").json()["data"]
    assert len(sessions) == 2  # the one the change answered, and this login


def test_change_needs_a_login(api_client, user):
    problem(
        api_client.post(CHANGE, {"current_password": PASSWORD, "password": NEW_PASSWORD}, format="json"),
        401,
        "unauthenticated",
    )


def test_change_with_the_cookie_transport_sets_new_cookies(user, settings):
    settings.KIT = {**settings.KIT, "JWT_COOKIE_NAME": "access"}
    client = logged_in(user)
    response = client.post(CHANGE, {"current_password": PASSWORD, "password": NEW_PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.cookies["access"].value == response.json()["data"]["access"]
    assert response.cookies["access_refresh"]["httponly"]
