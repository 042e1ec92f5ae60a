"""The permission set is cached across requests and invalidated by any relevant change."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from kit.authorization import get_permission_set, invalidate_permissions
from kit.authorization.models import Right
from kit.cache.strict import strict_cache
from tests.example.models import Item

# Query counts without the periodic check for recorded invalidations (kit.cache.strict).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache", "invalidations_checked")]


@pytest.fixture
def access(user, obtain_tokens):
    return {"HTTP_AUTHORIZATION": f"Bearer {obtain_tokens()['access']}"}


def test_warm_cache_runs_no_authorization_query(client, user, access, django_assert_num_queries):
    Right.objects.create(user=user, resource="items", operation="read")
    Item.objects.create(name="one")
    # A page shorter than the page size is the last one: its count needs no COUNT query.
    with django_assert_num_queries(4) as cold:  # the revocations, the user, the rights, the page
        assert client.get("/api/v1/items", **access).status_code == 200
    assert any("kit_right" in query["sql"] for query in cold.captured_queries)
    with django_assert_num_queries(1) as warm:  # the page: no authentication or authorization query
        assert client.get("/api/v1/items", **access).status_code == 200
    tables = " ".join(query["sql"] for query in warm.captured_queries)
    assert "kit_right" not in tables and "auth_user" not in tables


def test_without_account_caching_the_user_is_read_each_time(
    client, user, access, settings, django_assert_num_queries
):
    settings.KIT = {**settings.KIT, "CACHE_ACCOUNTS": False}
    Right.objects.create(user=user, resource="items", operation="read")
    Item.objects.create(name="one")
    client.get("/api/v1/items", **access)
    with django_assert_num_queries(2) as warm:  # the user, the page
        assert client.get("/api/v1/items", **access).status_code == 200
    assert any("auth_user" in query["sql"] for query in warm.captured_queries)


def test_a_cached_account_follows_changes_at_once(client, user, access):
    Right.objects.create(user=user, resource="items", operation="read")
    assert client.get("/api/v1/items", **access).status_code == 200
    user.username = "renamed"
    user.save()
    assert client.get("/api/v1/whoami", **access).json()["data"]["user"] == "renamed"
    user.is_active = False
    user.save()
    assert client.get("/api/v1/items", **access).status_code == 401


def test_computed_once_per_request(rf, user, django_assert_num_queries):
    request = rf.get("/")
    with django_assert_num_queries(1):
        get_permission_set(user, request)
        get_permission_set(user, request)
    cache.clear()
    with django_assert_num_queries(0):  # memoised on the request, even with the cache gone
        get_permission_set(user, request)


def test_granting_a_right_is_seen_at_once(client, user, access):
    assert client.get("/api/v1/items", **access).status_code == 403
    right = Right.objects.create(user=user, resource="items", operation="read")
    assert client.get("/api/v1/items", **access).status_code == 200
    right.delete()
    assert client.get("/api/v1/items", **access).status_code == 403


def test_moving_a_right_to_another_user(client, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    right = Right.objects.create(user=alice, resource="items", operation="read")
    assert "items:read" in get_permission_set(alice)
    right.user = bob
    right.save()
    assert "items:read" not in get_permission_set(alice)
    assert "items:read" in get_permission_set(bob)


def test_role_rights_and_role_changes(client, user, access, settings):
    settings.KIT = {"ROLE_FIELD": "first_name", "ROLES": ["regular", "admin"]}
    Right.objects.create(role="admin", resource="items", operation="read")
    assert client.get("/api/v1/items", **access).status_code == 403
    user.first_name = "admin"
    user.save()
    assert client.get("/api/v1/items", **access).status_code == 200
    user.first_name = "regular"
    user.save(update_fields=["first_name"])
    assert client.get("/api/v1/items", **access).status_code == 403


def test_login_bookkeeping_keeps_the_cache(user, django_assert_num_queries):
    get_permission_set(user)
    user.save(update_fields=["last_login"])
    with django_assert_num_queries(0):
        get_permission_set(user)


def test_group_membership_invalidates(user, django_assert_num_queries):
    get_permission_set(user)
    group = Group.objects.create(name="staff")
    user.groups.add(group)
    with django_assert_num_queries(1):
        get_permission_set(user)
    get_permission_set(user)
    group.user_set.remove(user)
    with django_assert_num_queries(1):
        get_permission_set(user)


def test_explicit_invalidation(user, django_assert_num_queries):
    get_permission_set(user)
    Right.objects.filter(pk__in=[]).update(operation="x")  # sends no signal
    with django_assert_num_queries(0):
        get_permission_set(user)
    invalidate_permissions(user)
    with django_assert_num_queries(1):
        get_permission_set(user)
    invalidate_permissions()
    with django_assert_num_queries(1):
        get_permission_set(user)


def test_backend_configuration_is_part_of_the_key(user, settings):
    settings.KIT = {"ROLE_FIELD": "first_name", "ROLES": ["regular", "admin"]}
    user.first_name = "admin"
    user.save()
    assert get_permission_set(user) == {"regular", "admin"}
    settings.KIT = {"ROLE_FIELD": "first_name", "ROLES": ["admin"]}
    assert get_permission_set(user) == {"admin"}


def test_evicted_versions_never_resurrect_stale_sets(user):
    Right.objects.create(user=user, resource="items", operation="read")
    assert "items:read" in get_permission_set(user)
    Right.objects.all().delete()
    cache.delete_many(["kit:perms:version", f"kit:perms:version:user:{user.pk}"])  # evicted
    assert "items:read" not in get_permission_set(user)


def test_a_warm_jwt_request_reads_the_cache_once(client, user, access, monkeypatch):
    """The denylist, the account and its permission set come in one round trip."""
    Right.objects.create(user=user, resource="items", operation="read")
    assert client.get("/api/v1/items", **access).status_code == 200  # warms the cache
    shared = strict_cache("default")  # what the kit reads through (django-redis: its client)
    calls, depth = [], [0]
    for name in ("get", "get_many", "add", "set"):
        original = getattr(shared, name)

        def counted(*args, _call=original, _name=name, **kwargs):
            if not depth[0]:  # the local-memory cache's get_many calls get: one call outside
                calls.append(_name)
            depth[0] += 1
            try:
                return _call(*args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(shared, name, counted)
    assert client.get("/api/v1/items", **access).status_code == 200
    assert calls == ["get_many"]
