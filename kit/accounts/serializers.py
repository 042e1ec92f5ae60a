"""Bodies and answers of the account endpoints."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from kit.accounts.services import email_field
from kit.serializers import PasswordField


class SignupSerializer(serializers.Serializer):
    """An email address and a password (and a username, when the user model has one besides)."""

    email = serializers.EmailField(max_length=254)
    password = PasswordField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = get_user_model()
        if email_field() != model.USERNAME_FIELD:
            field: Any = model._meta.get_field(model.USERNAME_FIELD)
            self.fields["username"] = serializers.CharField(
                max_length=getattr(field, "max_length", None) or 150, validators=list(field.validators)
            )


class TokenSerializer(serializers.Serializer):
    """The token (or code) an account email carried."""

    token = serializers.CharField(max_length=2000)


class EmailSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(TokenSerializer):
    password = PasswordField(help_text="The new password.")


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=4096)
    password = PasswordField(help_text="The new password.")


class EmailChangeSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, help_text="The new address (it receives a confirmation).")
    password = serializers.CharField(write_only=True, trim_whitespace=False, max_length=4096)


class AcceptedSerializer(serializers.Serializer):
    """What a flow that sends an email answers, whether or not an account has the address."""

    detail = serializers.CharField()


class MfaStatusSerializer(serializers.Serializer):
    totp = serializers.BooleanField(help_text="Whether an authenticator app is set up.")
    required_by_role = serializers.BooleanField(help_text="Whether the user's role requires one.")
    recovery_codes_left = serializers.IntegerField()


class CredentialsSerializer(serializers.Serializer):
    """Username and password, for users not logged in (whose role requires a second factor)."""

    username = serializers.CharField(required=False, max_length=255)
    password = serializers.CharField(required=False, write_only=True, trim_whitespace=False, max_length=4096)


class TotpSetupSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The base32 secret, for entering it by hand.")
    otpauth_url = serializers.CharField(help_text="The otpauth:// URI (show it as a QR code).")


class TotpConfirmSerializer(CredentialsSerializer):
    code = serializers.CharField(max_length=16, help_text="A code from the authenticator app.")


class CodeSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=32, help_text="A code from the authenticator app, or a recovery code."
    )


class RecoveryCodesSerializer(serializers.Serializer):
    recovery_codes = serializers.ListField(
        child=serializers.CharField(), help_text="Single-use codes that replace the app's: shown once."
    )


class SessionSerializer(serializers.Serializer):
    id = serializers.CharField(source="sid")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    user_agent = serializers.CharField()
    ip_address = serializers.CharField(allow_null=True)
    current = serializers.SerializerMethodField()

    def get_current(self, session: Any) -> bool:
        auth = getattr(self.context.get("request"), "auth", None)
        return bool(auth is not None and hasattr(auth, "get") and auth.get("sid") == session.sid)
