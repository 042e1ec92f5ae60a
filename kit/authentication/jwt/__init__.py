"""JWT authentication on djangorestframework-simplejwt, with revocation and cookie transport."""

from kit.authentication.jwt.revocation import revoke_user_tokens

__all__ = ["revoke_user_tokens"]
