"""Requirements enforced on real requests: 401 when anonymous, 403 when lacking, 200 when held."""

import pytest

from kit.authorization.models import Right
from tests.example.models import Item
from tests.identity.helpers import data, problem

pytestmark = pytest.mark.django_db


def grant(user, *permissions):
    for permission in permissions:
        resource, operation = permission.split(":")
        Right.objects.create(user=user, resource=resource, operation=operation)


def test_public_view_needs_nothing(client):
    response = client.get("/api/v1/whoami")
    assert response.status_code == 200
    assert data(response)["authenticated"] is False


def test_anonymous_gets_401_with_a_challenge(client):
    response = client.get("/api/v1/items")
    problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_authenticated_without_permission_gets_403_naming_it(client, user):
    client.force_authenticate(user)
    body = problem(client.get("/api/v1/items"), 403, "forbidden")
    assert body["detail"] == "Missing permission: items:read."


def test_resource_operations(client, user):
    client.force_authenticate(user)
    grant(user, "items:read")
    assert client.get("/api/v1/items").status_code == 200
    assert client.post("/api/v1/items", {"name": "a"}, format="json").status_code == 403
    grant(user, "items:create")
    assert client.post("/api/v1/items", {"name": "a"}, format="json").status_code == 201
    item = Item.objects.get(name="a")
    assert client.patch(f"/api/v1/items/{item.pk}", {"count": 2}, format="json").status_code == 403
    grant(user, "items:update")
    assert client.patch(f"/api/v1/items/{item.pk}", {"count": 2}, format="json").status_code == 200
    assert client.put(f"/api/v1/items/{item.pk}", {"name": "a", "count": 3}, format="json").status_code == 200
    assert client.delete(f"/api/v1/items/{item.pk}").status_code == 403


def test_head_needs_read(client, user):
    client.force_authenticate(user)
    assert client.head("/api/v1/items").status_code == 403
    grant(user, "items:read")
    assert client.head("/api/v1/items").status_code == 200


def test_options_is_never_blocked(client):
    assert client.options("/api/v1/items").status_code == 200
    assert client.options("/api/v1/class-permission").status_code == 200


def test_wildcard_right(client, user):
    client.force_authenticate(user)
    grant(user, "items:*")
    item = Item.objects.create(name="x", owner=user)
    assert client.get("/api/v1/items").status_code == 200
    assert client.delete(f"/api/v1/items/{item.pk}").status_code == 204


@pytest.mark.parametrize("path", ["/api/v1/class-permission", "/api/v1/method-permission"])
def test_class_and_method_requirements(client, user, path):
    assert client.get(path).status_code == 401
    client.force_authenticate(user)
    assert client.get(path).status_code == 403
    Right.objects.create(user=user, resource="dummy_permission", operation="*")  # not the plain name
    assert client.get(path).status_code == 403


def test_method_requirement_fulfilled_by_role(client, make_user, settings):
    settings.KIT = {"ROLE_FIELD": "first_name", "ROLES": ["dummy_permission", "admin"]}
    client.force_authenticate(make_user("boss", role="admin"))
    assert client.get("/api/v1/method-permission").status_code == 200
    assert client.get("/api/v1/class-permission").status_code == 200
    assert client.get("/api/v1/admin-only").status_code == 200


def test_method_without_requirement_stays_public(client):
    assert client.post("/api/v1/method-permission").status_code == 200


def test_combined_requirement(client, user, settings):
    settings.KIT = {"ROLE_FIELD": "first_name"}
    client.force_authenticate(user)
    grant(user, "reports:read", "reports:download")
    assert client.get("/api/v1/combined-permission").status_code == 403  # none of the or-set
    grant(user, "reports:export")
    assert client.get("/api/v1/combined-permission").status_code == 200


def test_empty_requirement_means_authenticated(client, user):
    assert client.get("/api/v1/authenticated-only").status_code == 401
    client.force_authenticate(user)
    assert client.get("/api/v1/authenticated-only").status_code == 200


def test_null_backend_allows_authenticated_callers(client, user, settings):
    settings.KIT = {"AUTHORIZATION_BACKEND": "kit.authorization.backends.NullBackend"}
    assert client.get("/api/v1/items").status_code == 401
    client.force_authenticate(user)
    assert client.get("/api/v1/admin-only").status_code == 200


def test_custom_backend_by_import_string(client, user, settings):
    settings.KIT = {"AUTHORIZATION_BACKEND": "tests.identity.backends.StaffBackend"}
    client.force_authenticate(user)
    assert client.get("/api/v1/items").status_code == 403
    user.is_staff = True
    user.save()
    assert client.get("/api/v1/items").status_code == 200


class TestScoping:
    def test_owners_see_their_own_rows(self, client, make_user):
        alice, bob = make_user("alice"), make_user("bob")
        grant(alice, "items:read")
        mine = Item.objects.create(name="mine", owner=alice)
        theirs = Item.objects.create(name="theirs", owner=bob)
        client.force_authenticate(alice)
        assert [row["name"] for row in data(client.get("/api/v1/own-items"))] == ["mine"]
        assert client.get(f"/api/v1/own-items/{mine.pk}").status_code == 200
        assert client.get(f"/api/v1/own-items/{theirs.pk}").status_code == 404

    def test_unscoped_permission_sees_every_row(self, client, make_user):
        alice, bob = make_user("alice"), make_user("bob")
        grant(alice, "items:read", "items:read_all")
        Item.objects.create(name="mine", owner=alice)
        Item.objects.create(name="theirs", owner=bob)
        client.force_authenticate(alice)
        assert len(data(client.get("/api/v1/own-items"))) == 2

    def test_a_create_naming_no_owner_is_owned_by_the_caller(self, client, make_user):
        alice = make_user("alice")
        grant(alice, "items:read", "items:create")
        client.force_authenticate(alice)
        response = client.post("/api/v1/own-items", {"name": "new"}, format="json")
        assert response.status_code == 201, response.content
        assert Item.objects.get(name="new").owner == alice

    def test_nobody_creates_a_row_for_someone_else(self, client, make_user):
        alice, bob = make_user("alice"), make_user("bob")
        grant(alice, "items:read", "items:create")
        client.force_authenticate(alice)
        response = client.post("/api/v1/own-items", {"name": "bob's", "owner": bob.pk}, format="json")
        problem(response, 403, "forbidden")
        assert not Item.objects.filter(name="bob's").exists()
        mine = client.post("/api/v1/own-items", {"name": "mine", "owner": alice.pk}, format="json")
        assert mine.status_code == 201

    def test_an_update_does_not_move_a_row_to_another_owner(self, client, make_user):
        alice, bob = make_user("alice"), make_user("bob")
        grant(alice, "items:read", "items:update")
        item = Item.objects.create(name="mine", owner=alice)
        client.force_authenticate(alice)
        response = client.patch(f"/api/v1/own-items/{item.pk}", {"owner": bob.pk, "count": 5}, format="json")
        problem(response, 403, "forbidden")
        item.refresh_from_db()
        assert (item.owner, item.count) == (alice, 0)
        assert client.patch(f"/api/v1/own-items/{item.pk}", {"count": 5}, format="json").status_code == 200

    def test_the_unscoped_permission_writes_for_anyone(self, client, make_user):
        alice, bob = make_user("alice"), make_user("bob")
        grant(alice, "items:*")
        item = Item.objects.create(name="mine", owner=alice)
        client.force_authenticate(alice)
        created = client.post("/api/v1/own-items", {"name": "bob's", "owner": bob.pk}, format="json")
        assert created.status_code == 201
        moved = client.patch(f"/api/v1/own-items/{item.pk}", {"owner": bob.pk}, format="json")
        assert moved.status_code == 200
        assert Item.objects.filter(owner=bob).count() == 2

    def test_object_level_check(self, client, make_user):
        alice, bob = make_user("alice"), make_user("bob")
        grant(alice, "items:*")
        grant(bob, "items:*")
        item = Item.objects.create(name="alice's", owner=alice)
        client.force_authenticate(bob)
        assert client.patch(f"/api/v1/items/{item.pk}", {"count": 1}, format="json").status_code == 200
        assert client.delete(f"/api/v1/items/{item.pk}").status_code == 403
        client.force_authenticate(alice)
        assert client.delete(f"/api/v1/items/{item.pk}").status_code == 204


def test_null_authentication_gives_every_request_a_dummy_account(client):
    assert data(client.get("/api/v1/development")) == {"message": "dummy"}
