"""Colibris's Permissions semantics: conjunction, disjunction, combination; view resolution."""

import types

import pytest

from kit.authorization import (
    PermissionNotMet,
    Permissions,
    PermissionSet,
    require_permission,
    required_permissions,
)
from tests.identity import views

DUMMY = "dummy_permission"
ANOTHER = "another_permission"
YET_ANOTHER = "yet_another_permission"


def test_conjunction():
    p = Permissions(and_set={DUMMY, ANOTHER})
    for held in (set(), {DUMMY}, {ANOTHER}):
        with pytest.raises(PermissionNotMet):
            p.verify(held)
    p.verify({DUMMY, ANOTHER})


def test_disjunction():
    p = Permissions(or_set={DUMMY, ANOTHER})
    with pytest.raises(PermissionNotMet):
        p.verify(set())
    p.verify({DUMMY})
    p.verify({ANOTHER})
    p.verify({DUMMY, ANOTHER})


def test_conjunction_and_disjunction():
    p = Permissions(and_set={DUMMY, ANOTHER}, or_set={DUMMY, YET_ANOTHER})
    for held in (set(), {DUMMY}, {ANOTHER}, {YET_ANOTHER}, {DUMMY, YET_ANOTHER}, {ANOTHER, YET_ANOTHER}):
        with pytest.raises(PermissionNotMet):
            p.verify(held)
    p.verify({DUMMY, ANOTHER})
    p.verify({DUMMY, ANOTHER, YET_ANOTHER})


def test_combine():
    p1 = Permissions(and_set={DUMMY}, or_set={ANOTHER})
    p2 = Permissions(and_set={ANOTHER}, or_set={YET_ANOTHER})
    combined = p1.combine(p2)
    assert combined.and_set == {DUMMY, ANOTHER}
    assert combined.or_set == {ANOTHER, YET_ANOTHER}


def test_missing_permission_is_named():
    with pytest.raises(PermissionNotMet) as error:
        Permissions(and_set={"items:read", "items:create"}).verify({"items:read"})
    assert error.value.permission == "items:create"


def test_text_form():
    assert str(Permissions(and_set={"b", "a"}, or_set={"d", "c"})) == "a & b & (c | d)"
    assert str(Permissions(or_set={"c"})) == "c"
    assert str(Permissions()) == "authenticated"


@pytest.mark.parametrize(
    ("held", "permission", "expected"),
    [
        ({"items:read"}, "items:read", True),
        ({"items:*"}, "items:delete", True),
        ({"*:read"}, "items:read", True),
        ({"*:read"}, "items:update", False),
        ({"*:*"}, "anything:at_all", True),
        ({"*:*"}, "admin", False),  # resource wildcards do not grant roles
        ({"*"}, "admin", True),
        ({"items:read"}, "items", False),
        ({"admin"}, "admin", True),
        ({"items:*"}, "others:read", False),
    ],
)
def test_wildcards(held, permission, expected):
    assert (permission in PermissionSet(held)) is expected


def _view(cls, method, action_map=None):
    view = cls()
    if action_map:
        view.action_map = action_map
    return required_permissions(view, method)


def test_resource_maps_methods_to_operations():
    expected = {
        "GET": "items:read",
        "HEAD": "items:read",
        "POST": "items:create",
        "PUT": "items:update",
        "PATCH": "items:update",
        "DELETE": "items:delete",
    }
    for method, permission in expected.items():
        assert _view(views.ItemList, method) == Permissions(and_set={permission})


def test_options_requires_nothing():
    assert _view(views.ItemList, "OPTIONS") is None
    assert _view(views.ClassPermission, "OPTIONS") is None


def test_class_and_method_requirements():
    assert _view(views.ClassPermission, "GET") == Permissions(and_set={DUMMY})
    assert _view(views.MethodPermission, "GET") == Permissions(and_set={DUMMY})
    assert _view(views.MethodPermission, "POST") is None
    assert _view(views.Whoami, "GET") is None


def test_stacked_decorators_combine_with_the_class_requirement():
    assert _view(views.CombinedPermission, "GET") == Permissions(
        and_set={"reports:read", "reports:download"}, or_set={"reports:export", "admin"}
    )


def test_class_decorator_and_empty_requirement():
    assert _view(views.AdminOnly, "GET") == Permissions(and_set={"admin"})
    assert _view(views.AuthenticatedOnly, "GET") == Permissions()


def test_declared_permissions_win_over_the_resource_mapping():
    view = types.new_class("V", (views.ItemList,), exec_body=lambda ns: ns.update(permissions={"x"}))
    assert _view(view, "POST") == Permissions(and_set={"x"})


def test_viewset_actions_are_resolved_through_the_action_map():
    class Viewset:
        resource = "items"

        @require_permission("items:publish")
        def publish(self, request):
            return None

    assert _view(Viewset, "POST", {"post": "publish"}) == Permissions(and_set={"items:publish"})
    assert _view(Viewset, "GET", {"get": "list"}) == Permissions(and_set={"items:read"})
