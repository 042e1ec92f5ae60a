"""The user's sessions: one per login, listed and revoked at ``/api/auth/sessions``.

A login's refresh token carries a session id (``sid``), which its access tokens and the refresh
tokens rotated from it inherit. With the ``sessions`` flow on, each login is recorded
(:class:`~kit.accounts.models.AuthSession`) and each refresh extends it; revoking a session denies
every token carrying its ``sid`` (:func:`kit.authentication.jwt.revocation.revoke_session`).
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from kit.accounts.flows import flow_enabled
from kit.accounts.models import AuthSession
from kit.authentication.jwt.revocation import SESSION_CLAIM, revoke_session


def session_start(*, user: Any, refresh: Any, request: Any) -> None:
    """Record the login that issued ``refresh`` (when the ``sessions`` flow is on)."""
    if not flow_enabled("sessions") or not refresh.get(SESSION_CLAIM):
        return
    AuthSession.objects.filter(user=user, expires_at__lte=timezone.now()).delete()
    meta = request.META if request is not None else {}
    AuthSession.objects.create(
        sid=refresh[SESSION_CLAIM],
        user=user,
        expires_at=_expiry(refresh),
        user_agent=str(meta.get("HTTP_USER_AGENT", ""))[:255],
        ip_address=_client_address(request),
    )


def session_refreshed(refresh: Any) -> None:
    """A session's token was refreshed: it lasts as long as its newest refresh token."""
    sid = refresh.get(SESSION_CLAIM)
    if flow_enabled("sessions") and sid:
        AuthSession.objects.filter(sid=sid).update(expires_at=_expiry(refresh), last_used_at=timezone.now())


def session_ended(payload: Any) -> None:
    """The session's refresh token was revoked (logout): forget the session."""
    sid = payload.get(SESSION_CLAIM)
    if sid:
        AuthSession.objects.filter(sid=sid).delete()


def user_sessions(user: Any) -> QuerySet[AuthSession]:
    """The user's sessions whose refresh token has not expired, most recently used first."""
    return AuthSession.objects.filter(user=user, expires_at__gt=timezone.now())


def session_revoke(session: AuthSession) -> None:
    """End a session: every token carrying its ``sid`` is refused from now on."""
    from rest_framework_simplejwt.settings import api_settings  # imports django.test: not at startup

    revoke_session(
        getattr(session.user, api_settings.USER_ID_FIELD),
        session.sid,
        expires_at=session.expires_at.timestamp(),
    )
    session.delete()


def sessions_end_all(user: Any) -> None:
    """Forget the user's sessions (their tokens were all revoked)."""
    AuthSession.objects.filter(user=user).delete()


def _expiry(refresh: Any) -> datetime:
    return datetime.fromtimestamp(refresh["exp"], UTC)


def _client_address(request: Any) -> str | None:
    """The client's address as the throttles see it, when it is one (PostgreSQL stores ``inet``)."""
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address(BaseThrottle().get_ident(request)))
    except ValueError:
        return None
