"""A custom authorization backend for the tests: staff hold every items permission."""

from kit.authorization.backends import AuthorizationBackend
from kit.authorization.permission_set import PermissionSet


class StaffBackend(AuthorizationBackend):
    def get_permissions(self, account):
        return PermissionSet({"items:*"} if account.is_staff else set())
