"""The admin: authenticator apps (deleted to let a user in again) and sessions (ended)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kit.accounts.mfa import new_recovery_codes
from kit.accounts.models import AuthSession, RecoveryCode, TotpDevice
from tests.accounts.conftest import logged_in, login, problem


@pytest.fixture
def admin_client(db):
    superuser = get_user_model().objects.create_superuser("root", "root@example.test", "pw")
    client = Client()
    client.force_login(superuser)
    return client


def test_deleting_an_app_lets_its_user_log_in_with_a_password(admin_client, api_client, user):
    device = TotpDevice.objects.create(user=user, secret="JBSWY3DPEHPK3PXP", confirmed=True)
    new_recovery_codes(user)
    problem(login(api_client), 401, "mfa_required")
    page = admin_client.get(f"/admin/kit/totpdevice/{device.pk}/change/")
    assert page.status_code == 200 and b"JBSWY3DPEHPK3PXP" not in page.content
    assert admin_client.post(f"/admin/kit/totpdevice/{device.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not RecoveryCode.objects.exists()
    assert login(api_client).status_code == 200


def test_ending_sessions_revokes_their_tokens(admin_client, user):
    client = logged_in(user)
    session = AuthSession.objects.get()
    action = {"action": "end_sessions", "_selected_action": [session.pk]}
    assert admin_client.post("/admin/kit/authsession/", action).status_code == 302
    assert not AuthSession.objects.exists()
    problem(client.get("/api/auth/sessions"), 401, "unauthenticated")
