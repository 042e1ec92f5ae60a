"""The kit's Django app configuration."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class KitConfig(AppConfig):
    name = "kit"
    verbose_name = "Service kit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kit import checks  # noqa: F401  (registers the system checks)
        from kit.authentication import signals as authentication_signals
        from kit.authorization import signals as authorization_signals
        from kit.cache import outages
        from kit.filters import lookups
        from kit.health import status  # noqa: F401  (records when the process started)
        from kit.health.startup import check_on_startup
        from kit.monitoring.sentry import init_sentry_from_settings

        init_sentry_from_settings()  # here, not while the settings load: loading them has no side effects
        _connect_problem_hook()
        authentication_signals.connect()
        authorization_signals.connect()
        lookups.register()
        outages.install()
        check_on_startup()
        _connect_cors_hook()
        _connect_realtime()
        autodiscover_modules("rpc")  # the apps' RPC methods (kit.rpc.method)


def _connect_problem_hook() -> None:
    """Exceptions raised by middleware reach ``kit.middleware.ProblemMiddleware`` (connected first:
    receivers connected before it hear of such an exception twice)."""
    from django.core.signals import got_request_exception

    from kit.middleware import hand_exception_up

    got_request_exception.connect(hand_exception_up, dispatch_uid="kit.middleware.hand_exception_up")


def _connect_cors_hook() -> None:
    """Per-view CORS origins (``kit.api.decorators.cors``) through django-cors-headers' signal."""
    from corsheaders.signals import check_request_enabled

    from kit.api.cors import RECEIVER_UID, view_allows_origin

    check_request_enabled.connect(view_allows_origin, dispatch_uid=RECEIVER_UID)


def _connect_realtime() -> None:
    """Revoked credentials close the user's WebSockets, when Django Channels is installed and on."""
    from importlib.util import find_spec

    from django.conf import settings

    if find_spec("channels") is None or not getattr(settings, "CHANNEL_LAYERS", None):
        return
    from kit.realtime import revocation

    revocation.connect()
