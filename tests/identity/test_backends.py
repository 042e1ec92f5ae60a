"""Authorization backends: null, role (with its order), rights (allowed, forbidden, wildcards)."""

import types

import pytest
from django.db import models

from kit.authorization.backends import NullBackend, RightsBackend, RoleBackend
from kit.authorization.models import Right
from kit.authorization.roles import FALLBACK_ROLES, role_order

DUMMY = "dummy_permission"
ANOTHER = "another_permission"
YET_ANOTHER = "yet_another_permission"


def account(role=None, is_superuser=False):
    return types.SimpleNamespace(role=role, pk=None, is_superuser=is_superuser)


def test_null_backend_allows_everything():
    held = NullBackend().get_permissions(account())
    assert "anything:at_all" in held
    assert "admin" in held


def test_role_backend_holds_the_role(settings):
    settings.KIT = {"ROLES": []}
    assert RoleBackend().get_role(account(DUMMY)) == DUMMY
    assert RoleBackend().get_permissions(account(DUMMY)) == {DUMMY}


def test_a_role_given_as_text_choices_is_held_as_its_value(settings):
    class Role(models.TextChoices):
        REGULAR = "regular"
        ADMIN = "admin"

    settings.KIT = {"ROLES": ["regular", "admin"]}
    held = RoleBackend().get_permissions(account(Role.ADMIN))
    assert held == {"regular", "admin"}
    assert {type(permission) for permission in held} == {str}


def test_role_backend_order_holds_lower_roles(settings):
    settings.KIT = {"ROLES": [DUMMY, ANOTHER, YET_ANOTHER]}
    assert RoleBackend().get_permissions(account(ANOTHER)) == {DUMMY, ANOTHER}
    assert RoleBackend().get_permissions(account(DUMMY)) == {DUMMY}
    assert RoleBackend().get_permissions(account(YET_ANOTHER)) == {DUMMY, ANOTHER, YET_ANOTHER}


def test_role_backend_without_a_role_holds_nothing(settings):
    assert RoleBackend().get_permissions(account(None)) == set()
    assert RoleBackend().get_permissions(object()) == set()


def test_role_field_is_configurable(settings):
    settings.KIT = {"ROLE_FIELD": "kind", "ROLES": ["regular", "admin"]}
    assert RoleBackend().get_permissions(types.SimpleNamespace(kind="admin")) == {"regular", "admin"}


def test_role_permissions_are_granted_through_the_hierarchy(settings):
    settings.KIT = {
        "ROLES": ["regular", "admin"],
        "ROLE_PERMISSIONS": {"regular": ["items:read"], "admin": ["items:*"]},
    }
    admin = RoleBackend().get_permissions(account("admin"))
    assert admin == {"regular", "admin", "items:read", "items:*"}
    assert "items:delete" in admin
    regular = RoleBackend().get_permissions(account("regular"))
    assert "items:read" in regular
    assert "items:delete" not in regular


def test_superusers_hold_everything_unless_turned_off(settings):
    superuser = account(is_superuser=True)
    assert RoleBackend().get_permissions(superuser).is_everything
    settings.KIT = {"SUPERUSER_HAS_ALL_PERMISSIONS": False}
    assert RoleBackend().get_permissions(superuser) == set()


@pytest.mark.django_db
class TestRightsBackend:
    def test_allowed(self, make_user):
        alice = make_user("alice")
        Right.objects.create(user=alice, resource="resource", operation="operation")
        assert RightsBackend().get_permissions(alice) == {"resource:operation"}

    def test_forbidden(self, make_user):
        alice, bob = make_user("alice"), make_user("bob")
        Right.objects.create(user=alice, resource="resource", operation="operation")
        assert RightsBackend().get_permissions(bob) == set()

    def test_role_rights_reach_the_role_and_higher_roles(self, make_user, settings):
        settings.KIT = {"ROLE_FIELD": "first_name", "ROLES": ["regular", "admin"]}
        regular, admin, nobody = make_user("r", role="regular"), make_user("a", role="admin"), make_user("n")
        Right.objects.create(role="regular", resource="items", operation="read")
        Right.objects.create(role="admin", resource="items", operation="*")
        assert RightsBackend().get_permissions(regular) == {"regular", "items:read"}
        assert RightsBackend().get_permissions(admin) == {"regular", "admin", "items:read", "items:*"}
        assert RightsBackend().get_permissions(nobody) == set()

    def test_wildcard_rights(self, make_user):
        alice = make_user("alice")
        Right.objects.create(user=alice, resource="*", operation="read")
        held = RightsBackend().get_permissions(alice)
        assert "items:read" in held
        assert "orders:read" in held
        assert "items:delete" not in held

    def test_one_query(self, make_user, django_assert_num_queries):
        alice = make_user("alice")
        with django_assert_num_queries(1):
            RightsBackend().get_permissions(alice)

    def test_a_right_goes_to_a_user_or_a_role_not_both(self, make_user):
        from django.db import IntegrityError, transaction

        alice = make_user("alice")
        for fields in ({"user": alice, "role": "admin"}, {"user": None, "role": ""}):
            with pytest.raises(IntegrityError), transaction.atomic():
                Right.objects.create(resource="items", operation="read", **fields)

    def test_role_rights_are_unique_in_forms(self):
        from django.core.exceptions import ValidationError

        Right.objects.create(role="admin", resource="items", operation="read")
        with pytest.raises(ValidationError):
            Right(role="admin", resource="items", operation="read").full_clean()
        with pytest.raises(ValidationError):
            Right(role="admin", resource="bad name", operation="read").full_clean()


def test_the_role_order_is_kit_roles_when_set_else_the_role_field_choices(settings):
    settings.KIT = {"ROLES": ["reader", "writer"]}
    assert role_order() == ["reader", "writer"]
    settings.KIT = {"ROLE_FIELD": "first_name"}  # auth.User: a field without choices
    assert role_order() == list(FALLBACK_ROLES)
