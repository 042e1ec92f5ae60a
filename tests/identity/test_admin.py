"""The admin: rights (filters, search, bulk grant), API keys (shown once), effective permissions."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kit.authentication.api_keys.keys import hash_key
from kit.authentication.api_keys.models import ApiKey
from kit.authorization.models import Right

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db):
    superuser = get_user_model().objects.create_superuser("root", "root@example.test", "pw")
    client = Client()
    client.force_login(superuser)
    return client


def test_rights_list_filters_and_search(admin_client, make_user):
    alice = make_user("alice")
    Right.objects.create(user=alice, resource="items", operation="read")
    Right.objects.create(role="admin", resource="orders", operation="*")
    page = admin_client.get("/admin/kit/right/")
    assert page.status_code == 200
    body = page.content.decode()
    for filter_title in ("By role", "By user", "By resource", "By operation"):
        assert filter_title in body
    assert "Grant rights" in body
    found = admin_client.get("/admin/kit/right/", {"q": "orders"}).content.decode()
    assert "orders:*" in found
    assert "items:read" not in found
    by_role = admin_client.get("/admin/kit/right/", {"role": "admin"}).content.decode()
    assert "orders:*" in by_role
    assert "items:read" not in by_role


def test_bulk_grant(admin_client, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    Right.objects.create(user=alice, resource="items", operation="read")
    response = admin_client.post(
        "/admin/kit/right/grant/",
        {"permissions": "items:read\nitems:update\n", "users": [alice.pk, bob.pk], "roles": ["regular"]},
    )
    assert response.status_code == 302
    granted = {(r.user_id, r.role, r.permission) for r in Right.objects.all()}
    assert granted == {
        (alice.pk, "", "items:read"),
        (alice.pk, "", "items:update"),
        (bob.pk, "", "items:read"),
        (bob.pk, "", "items:update"),
        (None, "regular", "items:read"),
        (None, "regular", "items:update"),
    }
    messages = admin_client.get("/admin/kit/right/").content.decode()
    assert "Granted 5 new right(s)." in messages


@pytest.mark.parametrize(
    "form",
    [
        {"permissions": "items", "roles": ["admin"]},
        {"permissions": "bad name:read", "roles": ["admin"]},
        {"permissions": "items:read"},
        {"permissions": "items:read", "roles": ["emperor"]},
    ],
)
def test_bulk_grant_rejects_bad_input(admin_client, form):
    response = admin_client.post("/admin/kit/right/grant/", form)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Right.objects.exists()


def test_grant_action_prefills_the_selected_rights(admin_client, make_user):
    alice = make_user("alice")
    rights = [Right.objects.create(user=alice, resource="items", operation=op) for op in ("read", "update")]
    response = admin_client.post(
        "/admin/kit/right/", {"action": "grant_selected_rights", "_selected_action": [r.pk for r in rights]}
    )
    assert response.status_code == 302
    page = admin_client.get(response["Location"]).content.decode()
    assert "items:read\nitems:update" in page


def test_api_key_is_shown_once_and_never_stored(admin_client, make_user):
    owner = make_user("ci-bot")
    response = admin_client.post(
        "/admin/kit/apikey/add/",
        {"name": "deploy", "owner": owner.pk, "expires_at_0": "", "expires_at_1": ""},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = re.search(r'<code id="api-key">([^<]+)</code>', response.content.decode())[1]
    row = ApiKey.objects.get()
    assert row.hashed_key == hash_key(key)
    assert row.owner == owner
    change_page = admin_client.get(f"/admin/kit/apikey/{row.pk}/change/").content.decode()
    assert key not in change_page
    assert row.hashed_key not in change_page
    assert key not in admin_client.get("/admin/kit/apikey/").content.decode()
    assert admin_client.cookies.get("messages") is None


def test_revoke_action(admin_client, make_user):
    from kit.authentication.api_keys.keys import api_key_create

    api_key, _ = api_key_create(owner=make_user("bot"), name="x")
    admin_client.post("/admin/kit/apikey/", {"action": "revoke_keys", "_selected_action": [api_key.pk]})
    api_key.refresh_from_db()
    assert api_key.revoked


def test_user_page_shows_effective_permissions(admin_client, make_user, settings):
    settings.KIT = {"ROLE_FIELD": "first_name", "ROLES": ["regular", "admin"]}
    alice = make_user("alice", role="admin")
    Right.objects.create(user=alice, resource="items", operation="read")
    page = admin_client.get(f"/admin/auth/user/{alice.pk}/change/").content.decode()
    assert "Effective permissions" in page
    for permission in ("<code>items:read</code>", "<code>regular</code>", "<code>admin</code>"):
        assert permission in page
    root = get_user_model().objects.get(username="root")
    assert "every permission" in admin_client.get(f"/admin/auth/user/{root.pk}/change/").content.decode()


def test_user_action_grants_rights_to_selected_users(admin_client, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    response = admin_client.post(
        "/admin/auth/user/", {"action": "grant_rights_to_users", "_selected_action": [alice.pk, bob.pk]}
    )
    assert response.status_code == 302
    assert "/admin/kit/right/grant/" in response["Location"]
    page = admin_client.get(response["Location"]).content.decode()
    assert re.search(rf'value="{alice.pk}"[^>]*selected', page)
    assert re.search(rf'value="{bob.pk}"[^>]*selected', page)


def test_grant_page_needs_the_add_permission(make_user):
    staff = make_user("staff", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/kit/right/grant/").status_code == 403


@pytest.mark.parametrize(
    "permission", ["items:read", "items:read_all", "items:*", "*:delete", "*:*", "reports:export"]
)
def test_a_right_some_view_requires_is_accepted(admin_client, permission):
    resource, operation = permission.split(":")
    response = admin_client.post(
        "/admin/kit/right/add/", {"role": "admin", "resource": resource, "operation": operation}
    )
    assert response.status_code == 302, response.content.decode()
    assert Right.objects.get().permission == permission


@pytest.mark.parametrize(
    ("permission", "hint"),
    [
        ("boks:raed", "Resources the views declare: calc, items, reports."),
        ("items:raed", "Did you mean items:read"),
    ],
)
def test_a_right_no_view_requires_is_refused_with_a_hint(admin_client, permission, hint):
    resource, operation = permission.split(":")
    response = admin_client.post(
        "/admin/kit/right/add/", {"role": "admin", "resource": resource, "operation": operation}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"No view requires {permission}." in page
    assert hint in page
    grant = admin_client.post(
        "/admin/kit/right/grant/", {"permissions": f"items:read\n{permission}", "roles": ["admin"]}
    )
    assert f"No view requires {permission}." in grant.content.decode()
    assert not Right.objects.exists()


def test_permissions_checked_in_code_are_declared_in_the_settings(admin_client, settings):
    settings.KIT = {"EXTRA_PERMISSIONS": ["boks:read"]}
    response = admin_client.post(
        "/admin/kit/right/add/", {"role": "admin", "resource": "boks", "operation": "read"}
    )
    assert response.status_code == 302
