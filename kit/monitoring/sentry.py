"""Optional error reporting to Sentry, with the Django and RQ integrations.

The kit's ``AppConfig.ready()`` calls :func:`init_sentry_from_settings`: Sentry starts once Django
is set up, when ``SENTRY_DSN`` is set (never while the settings load). Every event carries the
request id (of the request, or of the request that enqueued the task) as the tag ``request_id``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
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


def init_sentry_from_settings() -> bool:
    """Start Sentry from ``SENTRY_DSN``, ``SENTRY_ENVIRONMENT``, ``SENTRY_TRACES_SAMPLE_RATE`` and
    ``KIT["SERVICE_VERSION"]`` (the release), unless the project started it already; return whether
    it was started here."""
    dsn = getattr(settings, "SENTRY_DSN", None)
    if not dsn or _sentry_active():
        return False
    from kit.conf import kit_settings

    return init_sentry(
        dsn,
        environment=getattr(settings, "SENTRY_ENVIRONMENT", None),
        release=kit_settings.SERVICE_VERSION,
        traces_sample_rate=getattr(settings, "SENTRY_TRACES_SAMPLE_RATE", None) or 0.0,
    )


def _sentry_active() -> bool:
    try:
        import sentry_sdk
    except ImportError:
        return False
    return bool(sentry_sdk.get_client().is_active())


def tag_request_id(event: Any, hint: Any) -> Any:
    """Sentry ``before_send`` hook: tag the event with the current request id."""
    request_id = get_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event
