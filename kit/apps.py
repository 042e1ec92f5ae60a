"""The kit's Django app configuration."""

from django.apps import AppConfig


class KitConfig(AppConfig):
    name = "kit"
    verbose_name = "Service kit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kit import checks  # noqa: F401  (registers the system checks)
        from kit.filters import lookups

        lookups.register()
