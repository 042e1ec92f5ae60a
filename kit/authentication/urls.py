"""The authentication endpoints, included by ``kit.urls`` under ``/api/auth/``: the token endpoints,
and the account flows the KIT option ``ACCOUNT_FLOWS`` turns on (docs/accounts.md)."""

from django.urls import path

from kit.accounts.urls import flow_urlpatterns
from kit.authentication.jwt import views
from kit.conf import kit_settings

urlpatterns = [
    path("token", views.TokenObtainView.as_view(), name="kit-auth-token"),
    path("token/refresh", views.TokenRefreshView.as_view(), name="kit-auth-token-refresh"),
    path("token/verify", views.TokenVerifyView.as_view(), name="kit-auth-token-verify"),
    path("logout", views.LogoutView.as_view(), name="kit-auth-logout"),
    *flow_urlpatterns(list(kit_settings.ACCOUNT_FLOWS)),
]
