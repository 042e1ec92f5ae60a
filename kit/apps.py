"""The kit's Django app configuration."""

from django.apps import AppConfig


class KitConfig(AppConfig):
    name = "kit"
    verbose_name = "Service kit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kit import checks  # noqa: F401  (registers the system checks)
        from kit.authentication import openapi  # noqa: F401  (registers the OpenAPI extensions)
        from kit.authentication import signals as authentication_signals
        from kit.authorization import signals as authorization_signals
        from kit.filters import lookups

        authentication_signals.connect()
        authorization_signals.connect()
        lookups.register()
