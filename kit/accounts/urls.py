"""The account endpoints; ``kit.authentication.urls`` includes those of the flows ``ACCOUNT_FLOWS`` names."""

from django.urls import path

from kit.accounts import views

FLOW_URLS = {
    "signup": [
        path("signup", views.SignupView.as_view(), name="kit-auth-signup"),
        path("signup/verify", views.SignupVerifyView.as_view(), name="kit-auth-signup-verify"),
    ],
    "password_reset": [
        path("password/reset", views.PasswordResetView.as_view(), name="kit-auth-password-reset"),
        path(
            "password/reset/confirm",
            views.PasswordResetConfirmView.as_view(),
            name="kit-auth-password-reset-confirm",
        ),
    ],
    "password_change": [
        path("password/change", views.PasswordChangeView.as_view(), name="kit-auth-password-change"),
    ],
    "email_change": [
        path("email/change", views.EmailChangeView.as_view(), name="kit-auth-email-change"),
        path(
            "email/change/confirm",
            views.EmailChangeConfirmView.as_view(),
            name="kit-auth-email-change-confirm",
        ),
    ],
    "mfa": [
        path("mfa", views.MfaStatusView.as_view(), name="kit-auth-mfa"),
        path("mfa/totp", views.TotpStartView.as_view(), name="kit-auth-mfa-totp"),
        path("mfa/totp/confirm", views.TotpConfirmView.as_view(), name="kit-auth-mfa-totp-confirm"),
        path("mfa/totp/remove", views.TotpRemoveView.as_view(), name="kit-auth-mfa-totp-remove"),
        path("mfa/recovery-codes", views.RecoveryCodesView.as_view(), name="kit-auth-mfa-recovery-codes"),
    ],
    "sessions": [
        path("sessions", views.SessionListView.as_view(), name="kit-auth-sessions"),
        path("sessions/<str:sid>", views.SessionDetailView.as_view(), name="kit-auth-session"),
    ],
}

#: Every account endpoint (each still answers 404 while its flow is off).
urlpatterns = [pattern for patterns in FLOW_URLS.values() for pattern in patterns]


def flow_urlpatterns(flows: list[str]) -> list:
    """The endpoints of ``flows``."""
    return [pattern for flow in flows for pattern in FLOW_URLS.get(flow, [])]
