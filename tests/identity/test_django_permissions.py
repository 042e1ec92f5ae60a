"""Rights are Django permissions too: user.has_perm, {{ perms }}, permission_required, DRF, the admin."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.template import engines
from rest_framework.test import APIClient

from kit.authorization.models import Right
from tests.example.models import Item

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = "tests.identity.django_permission_urls"


def grant(user, permission):
    resource, operation = permission.split(":")
    return Right.objects.create(user=user, resource=resource, operation=operation)


def test_has_perm_answers_from_the_rights_with_wildcards(user):
    assert not user.has_perm("items:read")
    grant(user, "items:*")
    assert user.has_perm("items:read")
    assert user.has_perms(["items:read", "items:delete"])
    assert not user.has_perms(["items:read", "orders:read"])
    assert user.get_all_permissions() == {"items:*"}


def test_roles_and_role_rights_are_permissions(make_user, settings):
    settings.KIT = {
        "ROLE_FIELD": "first_name",
        "ROLES": ["regular", "admin"],
        "ROLE_PERMISSIONS": {"admin": ["*:*"]},
    }
    regular, admin = make_user("ann", role="regular"), make_user("bob", role="admin")
    Right.objects.create(role="regular", resource="items", operation="read")
    assert regular.has_perms(["regular", "items:read"]) and not regular.has_perm("admin")
    assert admin.has_perms(["regular", "admin", "items:read", "orders:refund", "example.delete_item"])


def test_a_revoked_right_is_refused_at_once(user):
    right = grant(user, "items:read")
    assert user.has_perm("items:read")
    right.delete()
    assert not user.has_perm("items:read")  # the same user object: nothing is kept on it


def test_inactive_and_anonymous_users_hold_nothing(user, settings):
    grant(user, "items:read")
    user.is_active = False
    user.save()
    assert not user.has_perm("items:read")
    assert user.get_all_permissions() == set()
    settings.KIT = {**settings.KIT, "AUTHORIZATION_BACKEND": "kit.authorization.backends.NullBackend"}
    assert not AnonymousUser().has_perm("items:read")  # even when every account holds everything


def test_django_permissions_are_rights_named_app_label_colon_codename(user):
    assert not user.has_perm("example.add_item")
    grant(user, "example:add_item")
    assert user.has_perm("example.add_item") and not user.has_perm("example.delete_item")
    grant(user, "example:*")
    assert user.has_perms(["example.delete_item", "example.view_item"])
    assert user.has_module_perms("example") and not user.has_module_perms("auth")


def test_model_backend_still_answers_for_user_and_group_permissions(user):
    group = Group.objects.create(name="viewers")
    group.permissions.add(Permission.objects.get(codename="view_item"))
    user.groups.add(group)
    assert user.has_perm("example.view_item")  # ModelBackend: the group's permission
    grant(user, "items:read")
    assert user.has_perms(["example.view_item", "items:read"])  # both backends, side by side


def test_perms_in_templates(rf, user):
    template = engines["django"].from_string(
        "{% if perms.items.read %}read{% endif %} {% if perms.items.delete %}delete{% endif %}"
        " {% if perms.items %}items{% endif %} {% if perms.orders %}orders{% endif %}"
    )
    grant(user, "items:read")
    request = rf.get("/")
    request.user = user
    assert template.render(request=request).split() == ["read", "items"]


def test_permission_required_on_a_plain_django_view(client, user):
    client = client_for(user)
    assert client.get("/export").status_code == 403
    grant(user, "items:export")
    response = client.get("/export")
    assert (response.status_code, response.content) == (200, b"exported")


def test_drf_django_model_permissions(user):
    client = client_for(user)
    body = {"name": "one", "count": 1}
    assert client.post("/api/v1/model-permission-items", body, format="json").status_code == 403
    grant(user, "example:add_item")
    assert client.post("/api/v1/model-permission-items", body, format="json").status_code == 201
    assert Item.objects.filter(name="one").exists()


def test_the_admin_follows_rights_for_staff(make_user):
    staff = make_user("staff", is_staff=True)
    client = client_for(staff)
    assert client.get("/admin/auth/user/").status_code == 403
    right = grant(staff, "auth:view_user")
    assert client.get("/admin/auth/user/").status_code == 200
    assert "/admin/auth/user/" in client.get("/admin/").content.decode()
    assert client.get("/admin/auth/user/add/").status_code == 403  # viewing is not adding
    right.delete()
    assert client.get("/admin/auth/user/").status_code == 403
    outsider = make_user("outsider")  # not staff: a right does not open the admin
    grant(outsider, "auth:view_user")
    assert client_for(outsider).get("/admin/auth/user/").status_code == 302


def test_the_admin_accepts_rights_for_django_permissions(make_user):
    root = make_user("root", is_staff=True, is_superuser=True)
    response = client_for(root).post(
        "/admin/kit/right/add/", {"user": root.pk, "role": "", "resource": "auth", "operation": "view_user"}
    )
    assert response.status_code == 302, response.content.decode()
    assert Right.objects.filter(resource="auth", operation="view_user").exists()


def client_for(user):
    client = APIClient()
    client.force_login(user)
    return client
