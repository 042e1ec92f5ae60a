"""The token endpoints and every account endpoint (whatever ``ACCOUNT_FLOWS`` said at import)."""

from django.urls import include, path

urlpatterns = [
    path("api/auth/", include("kit.authentication.urls")),
    path("api/auth/", include("kit.accounts.urls")),
]
