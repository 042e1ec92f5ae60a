"""Email change with re-verification: the new address confirms, the old one is told."""

from django.contrib.auth import get_user_model

from tests.accounts.conftest import PASSWORD, code_in, logged_in, problem

CHANGE = "/api/auth/email/change"
CONFIRM = "/api/auth/email/change/confirm"


def test_the_new_address_confirms_the_change(api_client, user, mail_outbox):
    client = logged_in(user)
    response = client.post(CHANGE, {"email": "ada@new.example.com", "password": PASSWORD}, format="json")
    assert response.status_code == 202
    [message] = mail_outbox
    assert message.to == ["ada@new.example.com"]
    user.refresh_from_db()
    assert user.email == "ada@example.com"  # until confirmed

    token = code_in(message)
    assert api_client.post(CONFIRM, {"token": token}, format="json").status_code == 204
    user.refresh_from_db()
    assert user.email == "ada@new.example.com"
    assert mail_outbox[-1].to == ["ada@example.com"] and "changed" in mail_outbox[-1].subject
    problem(api_client.post(CONFIRM, {"token": token}, format="json"), 400, "invalid_token")


def test_a_taken_address_gets_the_same_answer_and_a_notice(api_client, user, mail_outbox):
    get_user_model().objects.create_user(username="bob", email="bob@example.com", password=PASSWORD)
    client = logged_in(user)
    taken = client.post(CHANGE, {"email": "bob@example.com", "password": PASSWORD}, format="json")
    free = client.post(CHANGE, {"email": "free@example.com", "password": PASSWORD}, format="json")
    assert taken.status_code == free.status_code == 202 and taken.json()["data"] == free.json()["data"]
    assert "has an account already" in mail_outbox[0].subject
    assert "Your confirmation code" not in mail_outbox[0].body


def test_an_address_taken_meanwhile_conflicts(api_client, user, mail_outbox):
    logged_in(user).post(CHANGE, {"email": "late@example.com", "password": PASSWORD}, format="json")
    get_user_model().objects.create_user(username="bob", email="late@example.com", password=PASSWORD)
    problem(api_client.post(CONFIRM, {"token": code_in(mail_outbox[0])}, format="json"), 409, "conflict")


def test_the_password_is_required(user):
    response = logged_in(user).post(CHANGE, {"email": "x@example.com", "password": "wrong"}, format="json")
    assert problem(response, 400, "validation_error")["errors"][0]["attr"] == "password"
