"""Optional error reporting to Sentry, with the Django and RQ integrations.

``ServiceSettings`` calls :func:`init_sentry` when ``SENTRY_DSN`` is set. Every event carries the
request id (of the request, or of the request that enqueued the task) as the tag ``request_id``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from kit.request_id import get_request_id


def init_sentry(
    dsn: str | None,
    *,
    environment: str | None = None,
    release: str | None = None,
    traces_sample_rate: float = 0.0,
    send_default_pii: bool = False,
    **options: Any,
) -> bool:
    """Start reporting to Sentry when ``dsn`` is set; return whether it was started.

    ``options`` go to ``sentry_sdk.init`` as they are (e.g. ``profiles_sample_rate``).
    """
    if not dsn:
        return False
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
        from sentry_sdk.integrations.rq import RqIntegration
    except ImportError as error:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed (pip install 'django-service-kit[prod]')"
        ) from error
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=send_default_pii,
        integrations=[DjangoIntegration(), RqIntegration()],
        before_send=tag_request_id,
        before_send_transaction=tag_request_id,
        **options,
    )
    return True


def tag_request_id(event: Any, hint: Any) -> Any:
    """Sentry ``before_send`` hook: tag the event with the current request id."""
    request_id = get_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event
