"""``JWTAuthentication``: ``Authorization: Bearer <access token>``, or the access cookie.

Built on simplejwt's class; adds the cookie transport (with CSRF for unsafe methods) and answers
every unusable token (malformed, tampered, ``alg=none``, expired, not yet valid, refresh used as
access, revoked) with a plain 401. With the KIT option ``CACHE_ACCOUNTS`` (on by default) the
token's user comes from the shared cache (:func:`kit.accounts.cache.get_account`), read again
from the database after any change to it. The denylist, the account and its permission set are
then read in one round trip: a JWT request with a warm cache costs one cache round trip and no
query for authentication and authorization. When the cache cannot be read, the database answers
(revocations, the account, its permissions): an error is never taken for a miss.

The class is light: its base, :class:`kit.authentication.jwt.bearer.BearerAuthentication`, and with
it simplejwt and PyJWT (and django.test, which simplejwt's settings import) are imported with its
first instance (:mod:`kit.deferred`), not when DRF imports its default authentication classes. A
worker whose views never authenticate with a JWT loads none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.authentication import BaseAuthentication

from kit.deferred import deferred_base

if TYPE_CHECKING:
    from kit.authentication.jwt.bearer import BearerAuthentication as _Base
else:
    _Base = deferred_base("kit.authentication.jwt.bearer.BearerAuthentication", BaseAuthentication)


class JWTAuthentication(_Base):
    """``Authorization: Bearer <access token>``, or the access cookie (see the module docstring)."""
