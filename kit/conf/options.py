"""The ``KIT`` settings namespace: one dict of kit options with documented defaults.

Read options as attributes of :data:`kit_settings` (``kit_settings.PAGE_SIZE``). Options named in
``IMPORT_STRINGS`` are imported on first access. The cache is dropped when ``KIT`` changes
(``override_settings`` in tests), as DRF does for ``api_settings``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

DEFAULTS: dict[str, Any] = {
    # Service identity (shown by /status).
    "SERVICE_NAME": None,
    "SERVICE_VERSION": None,
    # Requests and responses.
    "MAX_REQUEST_BODY_SIZE": 10 * 1024 * 1024,
    "REQUEST_ID_HEADER": "X-Request-ID",
    "PAGE_SIZE": 25,
    "MAX_PAGE_SIZE": 100,
    # PostgreSQL: lists whose planner estimate exceeds this many rows answer it as their count.
    "COUNT_ESTIMATE_ABOVE": None,
    # CSV export of lists: more matching rows than this answer 400 export_too_large (None, 0: no limit).
    "CSV_MAX_ROWS": 10_000,
    # Problem details (errors).
    "PROBLEM_TYPE_BASE_URL": "https://django-service-kit.dev/problems/",
    "PROBLEM_HANDLER_CLASS": "kit.errors.problems.ProblemHandler",
    "API_PATH_PREFIXES": ["/api/"],
    # API documentation.
    "API_DOCS_URL": "/api/docs",
    "API_DOCS_ENABLED": True,
    "API_DOCS_PERMISSION": None,
    # Authorization (docs/authorization.md).
    "AUTHORIZATION_BACKEND": "kit.authorization.backends.RightsBackend",
    "ROLE_FIELD": "role",
    "ROLES": None,  # None: the choices of the ROLE_FIELD field (kit.authorization.roles)
    "ROLE_PERMISSIONS": {},
    # Permissions checked only in code (has_permission), accepted by the admin besides the views' own.
    "EXTRA_PERMISSIONS": [],
    "SUPERUSER_HAS_ALL_PERMISSIONS": True,
    "PERMISSIONS_CACHE": "default",
    "PERMISSIONS_CACHE_TIMEOUT": 3600,
    "CACHE_ACCOUNTS": True,
    # Authentication (docs/authentication.md, docs/api-keys.md, docs/throttling.md).
    "JWT_COOKIE_NAME": None,
    "JWT_REFRESH_COOKIE_NAME": None,
    "JWT_COOKIE_DOMAIN": None,
    "JWT_COOKIE_PATH": "/",
    "JWT_REFRESH_COOKIE_PATH": "/api/auth/",
    "JWT_COOKIE_SAMESITE": "Lax",
    "JWT_COOKIE_SECURE": None,
    "JWT_COOKIE_MAX_AGE": None,
    "TOKEN_REVOCATION_CACHE": "default",
    "CACHE_INVALIDATION_CHECK_SECONDS": 1.0,
    "API_KEY_HEADER": "X-API-Key",
    "API_KEY_LAST_USED_INTERVAL": 300,
    "AUTH_THROTTLE_RATE": "20/minute",
    # One-time tokens (kit.tokens).
    "ONE_TIME_TOKEN_MAX_AGE": 3600,
    "ONE_TIME_TOKEN_CACHE": "default",
    # Templates: the TEMPLATES engine (its NAME) of kit.rendering; None: the first one.
    "TEMPLATE_ENGINE": None,
    # Health and status (docs/health.md).
    "HEALTH_CHECKS": [],
    "HEALTH_HOOK": None,
    "HEALTH_CHECK_TIMEOUT": 5.0,
    "HEALTH_REQUIRE_WORKERS": True,
    "HEALTH_TASK_QUEUES": None,
    "HEALTH_CHECK_ON_STARTUP": False,
    "STATUS_URL": "/status",
    "GIT_REVISION": None,
    "GIT_REVISION_FILE": "REVISION",
    # Logging (docs/logging.md); read when the settings are loaded.
    "LOG_LEVEL": "INFO",
    "LOG_FORMAT": "text",
    "LOG_QUEUE": False,
    "LOG_FILE": None,
    "LOG_FILE_MAX_BYTES": 10 * 1024 * 1024,
    "LOG_FILE_BACKUP_COUNT": 5,
    # Metrics (docs/monitoring.md).
    "METRICS_ENABLED": False,
    "METRICS_TOKEN": None,
    "METRICS_URL": "/metrics",
    # Production server, manage.py serve (docs/deployment.md).
    "WEB_CONCURRENCY": None,
    "WEB_THREADS": 1,
    "WEB_TIMEOUT": 30,
    "WEB_GRACEFUL_TIMEOUT": 30,
    "WEB_MAX_REQUESTS": 0,
}

IMPORT_STRINGS: frozenset[str] = frozenset(
    {"API_DOCS_PERMISSION", "AUTHORIZATION_BACKEND", "PROBLEM_HANDLER_CLASS", "HEALTH_CHECKS", "HEALTH_HOOK"}
)


class KitSettings:
    """Attribute access to ``settings.KIT`` with defaults and lazy imports."""

    def __init__(self, defaults: dict[str, Any], import_strings: frozenset[str]) -> None:
        self._defaults = defaults
        self._import_strings = import_strings
        self._cache: dict[str, Any] = {}

    @property
    def user_settings(self) -> dict[str, Any]:
        return getattr(settings, "KIT", None) or {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self._defaults:
            raise AttributeError(f"Invalid KIT option: {name!r}")
        try:
            return self._cache[name]
        except KeyError:
            pass
        value = self.user_settings.get(name, self._defaults[name])
        if name in self._import_strings:
            value = _import(value, name)
        self._cache[name] = value
        return value

    def reload(self) -> None:
        self._cache.clear()


def _import(value: Any, name: str) -> Any:
    if isinstance(value, str):
        return import_string(value)
    if isinstance(value, list | tuple):
        return [import_string(item) if isinstance(item, str) else item for item in value]
    return value


kit_settings = KitSettings(DEFAULTS, IMPORT_STRINGS)


def _reload_kit_settings(*, setting: str, **kwargs: Any) -> None:
    if setting == "KIT":
        kit_settings.reload()


setting_changed.connect(_reload_kit_settings)
