"""The authentication endpoints, included by ``kit.urls`` under ``/api/auth/``."""

from django.urls import path

from kit.authentication.jwt import views

urlpatterns = [
    path("token", views.TokenObtainView.as_view(), name="kit-auth-token"),
    path("token/refresh", views.TokenRefreshView.as_view(), name="kit-auth-token-refresh"),
    path("token/verify", views.TokenVerifyView.as_view(), name="kit-auth-token-verify"),
    path("logout", views.LogoutView.as_view(), name="kit-auth-logout"),
]
