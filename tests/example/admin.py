"""The test project's user admin shows effective permissions (kit's mixin)."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model

from kit.admin import EffectivePermissionsAdminMixin

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(EffectivePermissionsAdminMixin, auth_admin.UserAdmin):
    pass
