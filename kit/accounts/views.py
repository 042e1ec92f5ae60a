"""The account endpoints under ``/api/auth/`` (docs/accounts.md).

Each belongs to a flow of ``ACCOUNT_FLOWS`` and answers 404 while its flow is off. All are
throttled per client address (``AUTH_THROTTLE_RATE``), those sending email also per address, and
wrong second-factor codes per user (``MFA_THROTTLE_RATE``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from kit.accounts import mfa, serializers, services
from kit.accounts.flows import flow_enabled
from kit.accounts.sessions import session_revoke, user_sessions
from kit.accounts.throttling import EmailAddressRateThrottle
from kit.authentication.jwt import cookies
from kit.authentication.jwt.serializers import TokenPairSerializer
from kit.authentication.throttling import AuthRateThrottle, LoginAccountRateThrottle
from kit.views import APIView

ACCEPTED = {"detail": "If an account can receive it, an email is on its way."}


class AccountView(APIView):
    """An endpoint of the flow ``flow`` (404 while it is off)."""

    flow = ""
    permission_classes = [AllowAny]
    throttle_classes = [AuthRateThrottle]

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        if not flow_enabled(self.flow):
            raise NotFound()
        super().initial(request, *args, **kwargs)

    def fresh_user(self) -> Any:
        """The caller's row as the database holds it now (the request's may come from the cache)."""
        user_id: Any = self.request.user.pk
        return get_user_model()._default_manager.get(pk=user_id)


class SignupView(AccountView):
    """Create an account; it can log in once its address is verified (the emailed token).

    The answer is the same whether the address has an account or not (that one gets an email
    saying so).
    """

    flow = "signup"
    body_serializer_class = serializers.SignupSerializer
    throttle_classes = [AuthRateThrottle, EmailAddressRateThrottle]

    @extend_schema(responses={202: serializers.AcceptedSerializer})
    def post(self, request: Any) -> Response:
        body = self.get_validated_body()
        services.signup_start(email=body["email"], password=body["password"], username=body.get("username"))
        return Response(ACCEPTED, status=status.HTTP_202_ACCEPTED)


class SignupVerifyView(AccountView):
    """Verify an address with the emailed token: the account becomes active."""

    flow = "signup"
    body_serializer_class = serializers.TokenSerializer

    @extend_schema(responses={204: None})
    def post(self, request: Any) -> Response:
        services.signup_verify(token=self.get_validated_body()["token"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetView(AccountView):
    """Email a password reset token (the same answer whether the address has an account or not)."""

    flow = "password_reset"
    body_serializer_class = serializers.EmailSerializer
    throttle_classes = [AuthRateThrottle, EmailAddressRateThrottle]

    @extend_schema(responses={202: serializers.AcceptedSerializer})
    def post(self, request: Any) -> Response:
        services.password_reset_start(email=self.get_validated_body()["email"])
        return Response(ACCEPTED, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(AccountView):
    """Set a new password with the emailed token; every token of the account is revoked."""

    flow = "password_reset"
    body_serializer_class = serializers.PasswordResetConfirmSerializer

    @extend_schema(responses={204: None})
    def post(self, request: Any) -> Response:
        body = self.get_validated_body()
        services.password_reset_confirm(token=body["token"], password=body["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(AccountView):
    """Change the caller's password: their other tokens are revoked, new ones answered."""

    flow = "password_change"
    permission_classes = [IsAuthenticated]
    body_serializer_class = serializers.PasswordChangeSerializer

    @extend_schema(responses={200: TokenPairSerializer})
    def post(self, request: Any) -> Response:
        body = self.get_validated_body()
        refresh = services.password_change(
            user=self.fresh_user(),
            current_password=body["current_password"],
            password=body["password"],
            request=request,
        )
        data = {"access": str(refresh.access_token), "refresh": str(refresh)}
        response = Response(data)
        if cookies.cookies_enabled():
            cookies.set_token_cookies(request, response, access=data["access"], refresh=data["refresh"])
        return response


class EmailChangeView(AccountView):
    """Start changing the caller's address: the new one receives a confirmation token."""

    flow = "email_change"
    permission_classes = [IsAuthenticated]
    body_serializer_class = serializers.EmailChangeSerializer
    throttle_classes = [AuthRateThrottle, EmailAddressRateThrottle]

    @extend_schema(responses={202: serializers.AcceptedSerializer})
    def post(self, request: Any) -> Response:
        body = self.get_validated_body()
        services.email_change_start(user=self.fresh_user(), email=body["email"], password=body["password"])
        return Response(ACCEPTED, status=status.HTTP_202_ACCEPTED)


class EmailChangeConfirmView(AccountView):
    """Confirm the new address with the emailed token (the old one is told of the change)."""

    flow = "email_change"
    body_serializer_class = serializers.TokenSerializer

    @extend_schema(responses={204: None})
    def post(self, request: Any) -> Response:
        services.email_change_confirm(token=self.get_validated_body()["token"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class MfaStatusView(AccountView):
    """The caller's second factor: set up or not, required or not, recovery codes left."""

    flow = "mfa"
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.MfaStatusSerializer

    def get(self, request: Any) -> Response:
        user = request.user
        data = {
            "totp": mfa.confirmed_device(user) is not None,
            "required_by_role": mfa.mfa_required(user),
            "recovery_codes_left": mfa.recovery_codes_left(user),
        }
        return Response(data)


class MfaSetupView(AccountView):
    """A view for the caller, or for a user not logged in whose role requires a second factor
    (username and password in the body: they cannot log in before setting one up)."""

    flow = "mfa"
    problem_statuses = ("401",)

    def get_throttles(self) -> list[Any]:
        return [AuthRateThrottle(), LoginAccountRateThrottle()]

    def setup_user(self, body: dict[str, Any]) -> Any:
        if self.request.user and self.request.user.is_authenticated:
            return self.fresh_user()
        user = authenticate(self.request, username=body.get("username"), password=body.get("password"))
        if user is None or not mfa.mfa_required(user):
            raise AuthenticationFailed(
                "Log in, or send the username and password of an account that must set up a second factor."
            )
        return user


class TotpStartView(MfaSetupView):
    """Start setting up an authenticator app: a new secret (confirm it with a code from the app)."""

    body_serializer_class = serializers.CredentialsSerializer

    @extend_schema(responses={201: serializers.TotpSetupSerializer})
    def post(self, request: Any) -> Response:
        device = mfa.totp_start(self.setup_user(self.get_validated_body()))
        data = {"secret": device.secret, "otpauth_url": mfa.provisioning_uri(device)}
        return Response(data, status=status.HTTP_201_CREATED)


class TotpConfirmView(MfaSetupView):
    """Confirm the new authenticator app with a code from it: the answer holds the recovery codes."""

    body_serializer_class = serializers.TotpConfirmSerializer

    @extend_schema(responses={200: serializers.RecoveryCodesSerializer})
    def post(self, request: Any) -> Response:
        body = self.get_validated_body()
        codes = mfa.totp_confirm(self.setup_user(body), body["code"], request)
        return Response({"recovery_codes": codes})


class TotpRemoveView(AccountView):
    """Remove the caller's authenticator app and recovery codes (a current code is needed)."""

    flow = "mfa"
    permission_classes = [IsAuthenticated]
    body_serializer_class = serializers.CodeSerializer

    @extend_schema(responses={204: None})
    def post(self, request: Any) -> Response:
        user = self.fresh_user()
        mfa.check_second_factor(user, self.get_validated_body()["code"], request)
        mfa.totp_remove(user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecoveryCodesView(AccountView):
    """Replace the caller's recovery codes by new ones (a current code is needed)."""

    flow = "mfa"
    permission_classes = [IsAuthenticated]
    body_serializer_class = serializers.CodeSerializer

    @extend_schema(responses={200: serializers.RecoveryCodesSerializer})
    def post(self, request: Any) -> Response:
        user = self.fresh_user()
        if mfa.confirmed_device(user) is None:
            raise NotFound("No authenticator app is set up.")
        mfa.check_second_factor(user, self.get_validated_body()["code"], request)
        return Response({"recovery_codes": mfa.new_recovery_codes(user)})


class SessionListView(AccountView):
    """The caller's sessions (one per login), most recently used first."""

    flow = "sessions"
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.SessionSerializer

    @extend_schema(responses={200: serializers.SessionSerializer(many=True)})
    def get(self, request: Any) -> Response:
        sessions = user_sessions(request.user)
        return Response(serializers.SessionSerializer(sessions, many=True, context={"request": request}).data)


class SessionDetailView(AccountView):
    """End one of the caller's sessions: its tokens are refused from now on."""

    flow = "sessions"
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: Any, sid: str) -> Response:
        session = user_sessions(request.user).filter(sid=sid).first()
        if session is None:
            raise NotFound()
        session_revoke(session)
        return Response(status=status.HTTP_204_NO_CONTENT)
