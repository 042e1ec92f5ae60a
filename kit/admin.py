"""Admin pages for rights and API keys, and a mixin showing a user's effective permissions.

- Rights: filters by role, user, resource and operation; search; a "Grant rights" page (linked
  from the list, and reached by the "grant these rights to..." action) granting many
  ``resource:operation`` pairs to many users and roles at once. Both refuse a right no view
  requires (``boks:raed``; see :mod:`kit.authorization.declared`).
- API keys: created with a name, owner and expiry; the key is shown once, on the page that follows
  the creation, and never stored; revoke action.
- :class:`EffectivePermissionsAdminMixin`: add it to your user admin to see the permission set the
  configured backend computes for a user, and to grant rights to selected users.
- :class:`ThrottledAdminAuthenticationForm`: the default admin site's login form (unless the project
  set its own), throttled per client address and per account like ``/api/auth/token``.
- The account flows' authenticator apps and sessions: :mod:`kit.accounts.admin`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

import kit.accounts.admin  # noqa: F401  # registers the account flows' pages
from kit.authentication.api_keys.keys import api_key_revoke, generate_key, hash_key
from kit.authentication.api_keys.models import ApiKey
from kit.authentication.throttling import login_throttle_wait
from kit.authorization.backends import get_backend
from kit.authorization.declared import declared_permissions, undeclared_permission_error
from kit.authorization.models import NAME_VALIDATOR, Right
from kit.authorization.rights import rights_grant
from kit.authorization.roles import role_order

NEW_KEY_ATTRIBUTE = "_kit_new_api_key"


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, refusing attempts over ``AUTH_THROTTLE_RATE`` before any password check.

    Attempts count per client address and per account, with the counters of ``/api/auth/``; a
    throttled attempt gets this form's error (even with the right password), never a session.
    """

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": "Too many login attempts. Try again in %(wait)d seconds.",
    }

    def clean(self) -> dict[str, Any]:
        wait = login_throttle_wait(self.request) if self.request is not None else None
        if wait is not None:
            raise ValidationError(
                self.error_messages["throttled"], code="throttled", params={"wait": max(1, round(wait))}
            )
        return super().clean()


if admin.site.login_form is None:
    admin.site.login_form = ThrottledAdminAuthenticationForm


class GrantRightsForm(forms.Form):
    permissions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One resource:operation per line, e.g. items:read; * is a wildcard (items:*).",
    )
    users = forms.ModelMultipleChoiceField(queryset=get_user_model()._default_manager.all(), required=False)
    roles = forms.MultipleChoiceField(choices=(), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [(role, role) for role in role_order()]  # type: ignore[attr-defined]

    def clean_permissions(self) -> list[str]:
        permissions = []
        declared = declared_permissions()
        for line in self.cleaned_data["permissions"].split():
            resource, colon, operation = line.partition(":")
            try:
                if not colon:
                    raise ValidationError("missing ':'")
                NAME_VALIDATOR(resource)
                NAME_VALIDATOR(operation)
            except ValidationError as error:
                raise ValidationError(f"{line!r} is not resource:operation.") from error
            undeclared = undeclared_permission_error(resource, operation, declared)
            if undeclared:
                raise ValidationError(undeclared)
            permissions.append(line)
        return permissions

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("users") and not cleaned.get("roles"):
            raise ValidationError("Choose at least one user or role.")
        return cleaned


class RightForm(forms.ModelForm):
    """The add and change form of a right: a new or changed permission must be one a view requires."""

    class Meta:
        model = Right
        fields = ["user", "role", "resource", "operation"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        resource, operation = cleaned.get("resource"), cleaned.get("operation")
        changed = {"resource", "operation"} & set(self.changed_data)
        if resource and operation and changed:
            undeclared = undeclared_permission_error(resource, operation, declared_permissions())
            if undeclared:
                self.add_error("resource", undeclared)
        return cleaned


@admin.register(Right)
class RightAdmin(admin.ModelAdmin):
    form = RightForm
    list_display = ["permission", "role", "user", "created_at"]
    list_filter = ["role", ("user", admin.RelatedOnlyFieldListFilter), "resource", "operation"]
    search_fields = ["resource", "operation", "role", f"user__{get_user_model().USERNAME_FIELD}"]
    raw_id_fields = ["user"]
    actions = ["grant_selected_rights"]
    change_list_template = "kit/admin/right_change_list.html"

    @admin.display(description="Permission", ordering="resource")
    def permission(self, right: Right) -> str:
        return right.permission

    def get_urls(self) -> list[Any]:
        grant = self.admin_site.admin_view(self.grant_view)
        return [path("grant/", grant, name="kit_right_grant"), *super().get_urls()]

    @admin.action(description="Grant the selected rights to other users or roles")
    def grant_selected_rights(self, request: HttpRequest, queryset: QuerySet[Right]) -> HttpResponse:
        permissions = "\n".join(sorted({right.permission for right in queryset}))
        query = urlencode({"permissions": permissions})
        return HttpResponseRedirect(f"{reverse(f'{self.admin_site.name}:kit_right_grant')}?{query}")

    def grant_view(self, request: HttpRequest) -> HttpResponse:
        request.current_app = self.admin_site.name
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = GrantRightsForm(request.POST)
            if form.is_valid():
                created = rights_grant(
                    permissions=form.cleaned_data["permissions"],
                    users=form.cleaned_data["users"],
                    roles=form.cleaned_data["roles"],
                )
                self.message_user(request, f"Granted {created} new right(s).", messages.SUCCESS)
                return HttpResponseRedirect(reverse(f"{self.admin_site.name}:kit_right_changelist"))
        else:
            users = [pk for pk in request.GET.get("users", "").split(",") if pk]
            form = GrantRightsForm(
                initial={"permissions": request.GET.get("permissions", ""), "users": users}
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Grant rights",
            "form": form,
        }
        return TemplateResponse(request, "kit/admin/grant_rights.html", context)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "owner", "created_at", "last_used_at", "expires_at", "revoked"]
    list_filter = ["revoked", "expires_at"]
    search_fields = ["name", "prefix", f"owner__{get_user_model().USERNAME_FIELD}"]
    raw_id_fields = ["owner"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    actions = ["revoke_keys"]

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[Any]:
        if obj is None:
            return ["name", "owner", "expires_at"]
        return ["name", "owner", "prefix", "created_at", "last_used_at", "expires_at", "revoked"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> list[str]:
        return [*self.readonly_fields, "owner"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if not change:
            obj.prefix, key = generate_key()
            obj.hashed_key = hash_key(key)
            setattr(request, NEW_KEY_ATTRIBUTE, key)  # shown once, by response_add
        super().save_model(request, obj, form, change)

    def response_add(
        self, request: HttpRequest, obj: ApiKey, post_url_continue: str | None = None
    ) -> HttpResponse:
        """Show the new key on this response only: it is in no message, session or cookie."""
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "API key created",
            "api_key": obj,
            "key": getattr(request, NEW_KEY_ATTRIBUTE),
        }
        return TemplateResponse(request, "kit/admin/api_key_created.html", context)  # never cached

    @admin.action(description="Revoke the selected API keys")
    def revoke_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset:
            api_key_revoke(api_key=api_key)
        self.message_user(request, f"Revoked {len(queryset)} API key(s).", messages.SUCCESS)


class EffectivePermissionsAdminMixin:
    """For a user ``ModelAdmin``: shows the user's effective permissions; grant-rights action."""

    actions = ["grant_rights_to_users"]

    @admin.display(description="Effective permissions")
    def effective_permissions(self, user: Any) -> str:
        if user is None or user.pk is None:
            return "-"
        held = sorted(get_backend().get_permissions(user))
        if not held:
            return "(none)"
        if held == ["*"]:
            return "* (every permission)"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li><code>{}</code></li>", ((p,) for p in held))
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        return fields if obj is None else [*fields, "effective_permissions"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = list(super().get_fieldsets(request, obj))  # type: ignore[misc]
        if obj is None:
            return fieldsets
        return [*fieldsets, ("Effective permissions", {"fields": ["effective_permissions"]})]

    @admin.action(description="Grant rights to the selected users")
    def grant_rights_to_users(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse:
        users = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        site = self.admin_site.name  # type: ignore[attr-defined]
        return HttpResponseRedirect(f"{reverse(f'{site}:kit_right_grant')}?users={users}")
