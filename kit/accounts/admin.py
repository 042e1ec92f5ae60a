"""Admin pages for the account flows: users' authenticator apps and sessions.

- Authenticator apps: listed without their secrets; deleting one (with the user's recovery codes)
  lets a user who lost their phone and codes log in with a password again (and set up a new one).
- Sessions: listed; the "End the selected sessions" action revokes their tokens.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest

from kit.accounts.models import AuthSession, RecoveryCode, TotpDevice
from kit.accounts.sessions import session_revoke

USER_SEARCH = f"user__{get_user_model().USERNAME_FIELD}"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows made by the flows: viewed and deleted here, never added or edited."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TotpDevice)
class TotpDeviceAdmin(ReadOnlyAdmin):
    list_display = ["user", "confirmed", "created_at"]
    list_filter = ["confirmed"]
    search_fields = [USER_SEARCH]
    fields = ["user", "confirmed", "created_at"]  # never the secret

    def delete_model(self, request: HttpRequest, obj: TotpDevice) -> None:
        RecoveryCode.objects.filter(user_id=obj.user_id).delete()
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TotpDevice]) -> None:
        RecoveryCode.objects.filter(user_id__in=queryset.values("user_id")).delete()
        super().delete_queryset(request, queryset)


@admin.register(AuthSession)
class AuthSessionAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_at", "last_used_at", "expires_at", "ip_address", "user_agent"]
    search_fields = [USER_SEARCH, "ip_address"]
    actions = ["end_sessions"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # ending a session revokes its tokens: the action does it

    @admin.action(description="End the selected sessions", permissions=["view"])
    def end_sessions(self, request: HttpRequest, queryset: QuerySet[AuthSession]) -> None:
        sessions = list(queryset.select_related("user"))
        for session in sessions:
            session_revoke(session)
        self.message_user(request, f"Ended {len(sessions)} session(s).", messages.SUCCESS)
