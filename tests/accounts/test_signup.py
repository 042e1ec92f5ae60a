"""Sign-up with email verification: inactive until the emailed token is used; no enumeration."""

from django.contrib.auth import get_user_model

from kit import tokens
from tests.accounts.conftest import PASSWORD, code_in, login, problem

SIGNUP = "/api/auth/signup"
VERIFY = "/api/auth/signup/verify"


def signup(client, email="grace@example.com", username="grace", password=PASSWORD):
    return client.post(SIGNUP, {"email": email, "username": username, "password": password}, format="json")


def test_signup_then_verify_then_login(api_client, mail_outbox):
    response = signup(api_client)
    assert response.status_code == 202
    assert not get_user_model().objects.get(username="grace").is_active
    [message] = mail_outbox
    assert message.to == ["grace@example.com"] and "confirm your email" in message.subject
    problem(login(api_client, "grace"), 401, "unauthenticated")  # not verified yet

    assert api_client.post(VERIFY, {"token": code_in(message)}, format="json").status_code == 204
    assert login(api_client, "grace").status_code == 200


def test_a_known_address_gets_the_same_answer_and_an_email_saying_so(api_client, user, mail_outbox):
    unknown = signup(api_client, email="new@example.com", username="new")
    known = signup(api_client, email="ADA@example.com", username="someone")
    assert known.status_code == unknown.status_code == 202
    assert known.json()["data"] == unknown.json()["data"]
    assert not get_user_model().objects.filter(username="someone").exists()
    assert [m.to for m in mail_outbox] == [["new@example.com"], ["ADA@example.com"]]
    assert "already have an account" in mail_outbox[1].subject


def test_an_unverified_address_gets_a_new_verification(api_client, mail_outbox):
    signup(api_client)
    signup(api_client, username="other")
    assert len(mail_outbox) == 2
    assert api_client.post(VERIFY, {"token": code_in(mail_outbox[1])}, format="json").status_code == 204
    assert get_user_model().objects.filter(email="grace@example.com").count() == 1


def test_a_taken_username_conflicts(api_client, user):
    problem(signup(api_client, username="ada"), 409, "conflict")


def test_a_reused_tampered_or_expired_token_is_refused(api_client, mail_outbox, settings):
    signup(api_client)
    token = code_in(mail_outbox[0])
    problem(api_client.post(VERIFY, {"token": token[:-2] + "xy"}, format="json"), 400, "invalid_token")
    assert api_client.post(VERIFY, {"token": token}, format="json").status_code == 204
    problem(api_client.post(VERIFY, {"token": token}, format="json"), 400, "invalid_token")
    other = tokens.make_token({"user": 1}, purpose="password-reset")  # valid, for another purpose
    problem(api_client.post(VERIFY, {"token": other}, format="json"), 400, "invalid_token")

    settings.KIT = {**settings.KIT, "ACCOUNT_VERIFY_MAX_AGE": 0}
    signup(api_client, email="late@example.com", username="late")
    problem(api_client.post(VERIFY, {"token": code_in(mail_outbox[-1])}, format="json"), 400, "invalid_token")


def test_bad_input_is_a_validation_problem(api_client):
    body = problem(signup(api_client, email="not an address", password="x"), 400, "validation_error")
    assert {error["attr"] for error in body["errors"]} == {"email", "password"}
    problem(api_client.post(SIGNUP, "[1, 2]", content_type="application/json"), 400, "validation_error")
    problem(api_client.post(VERIFY, {"token": ["a"]}, format="json"), 400, "validation_error")
    problem(api_client.post(VERIFY, {"token": "x" * 5000}, format="json"), 400, "validation_error")


def test_links_carry_the_token_when_configured(api_client, mail_outbox, settings):
    settings.KIT = {
        **settings.KIT,
        "ACCOUNT_LINKS": {"verify_email": "https://app.example.com/verify?t={token}&x=1"},
    }
    signup(api_client)
    body = mail_outbox[0].body
    assert "https://app.example.com/verify?t=" in body and "&x=1" in body


def test_the_flow_answers_404_when_off(api_client, settings):
    settings.KIT = {**settings.KIT, "ACCOUNT_FLOWS": ["password_reset"]}
    problem(signup(api_client), 404, "not_found")


def test_a_project_overrides_the_emails(api_client, mail_outbox, settings, tmp_path):
    emails = tmp_path / "kit" / "accounts" / "emails"
    emails.mkdir(parents=True)
    (emails / "verify_email_subject.txt").write_text("Welcome aboard")
    (emails / "verify_email.txt").write_text("Your code is {{ token }}.")
    (emails / "verify_email.html").write_text("<p>Your code is <b>{{ token }}</b>.</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    signup(api_client)
    [message] = mail_outbox
    assert message.subject == "Welcome aboard" and message.body.startswith("Your code is ")
    assert message.alternatives[0][1] == "text/html"


def test_a_deactivated_account_is_not_activated_again(api_client, user, mail_outbox):
    user.is_active = False
    user.save()
    signup(api_client, email="ada@example.com", username="ada2")
    assert "already have an account" in mail_outbox[-1].subject


def test_a_token_issued_before_deactivation_does_not_reactivate(api_client, mail_outbox):
    signup(api_client)
    token = code_in(mail_outbox[0])
    assert api_client.post(VERIFY, {"token": token}, format="json").status_code == 204
    grace = get_user_model().objects.get(username="grace")
    assert login(api_client, "grace").status_code == 200
    grace.refresh_from_db()
    grace.is_active = False
    grace.save()
    signup(api_client)  # the address is known: no new verification
    problem(api_client.post(VERIFY, {"token": token}, format="json"), 400, "invalid_token")
    grace.refresh_from_db()
    assert not grace.is_active
