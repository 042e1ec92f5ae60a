"""The admin, the token endpoints and every account endpoint (whatever ``ACCOUNT_FLOWS`` said at
import)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/auth/", include("kit.authentication.urls")),
    path("api/auth/", include("kit.accounts.urls")),
]
