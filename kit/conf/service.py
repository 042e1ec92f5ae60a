"""``ServiceSettings``: the environment variables every kit service understands.

A project subclasses it to add its own variables and calls ``load_from_env(globals())`` at the end
of its settings module. docs/settings.md lists every variable with its default.
"""

from __future__ import annotations

from typing import Any

from kit.conf import fields
from kit.conf.channels import apply_channel_layer_settings
from kit.conf.fields import Settings
from kit.conf.schema import SettingsSchema
from kit.conf.tasks import DEFAULT_REDIS_URL, apply_task_settings

DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-it-in-production"
LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


def _service_name(settings: Settings) -> str:
    return str(settings.get("__name__", "service")).split(".")[0]


def _sqlite_beside_project(settings: Settings) -> str:
    base_dir = settings.get("BASE_DIR")
    return f"sqlite:///{base_dir / 'db.sqlite3'}" if base_dir else "sqlite:///db.sqlite3"


def _not_debug(settings: Settings) -> bool:
    return not settings.get("DEBUG", False)


class ServiceSettings(SettingsSchema):
    """The kit's standard environment variables."""

    # General
    DEBUG = fields.Bool(default=False, help="Development mode: detailed errors, no secret needed.")
    SECRET_KEY = fields.Str(
        secret=True, min_length=32, help="Signs sessions and tokens. Required unless DEBUG."
    )
    ALLOWED_HOSTS = fields.List(default=LOCAL_HOSTS, help="Host names the service answers to.")
    LISTEN = fields.Str(default="0.0.0.0", help="Interface runserver and serve bind to.")  # noqa: S104
    PORT = fields.Int(default=8888, min_value=1, max_value=65535, help="TCP port to listen on.")
    TIME_ZONE = fields.Str(default="UTC", help="Default time zone.")
    LANGUAGE_CODE = fields.Str(default="en-us", help="Default language.")
    SERVICE_NAME = fields.Str(
        default=_service_name, setting="KIT.SERVICE_NAME", help="Name shown by /status."
    )
    SERVICE_VERSION = fields.Str(setting="KIT.SERVICE_VERSION", help="Version shown by /status.")

    # Services, as URLs
    DATABASE_URL = fields.DatabaseURL(
        default=_sqlite_beside_project, help="Main database (sqlite, postgres, mysql URLs)."
    )
    DATABASE_CONN_MAX_AGE = fields.Int(
        default=60,
        min_value=0,
        help="Seconds a database connection is kept open (0: one per request).",
    )
    TEST_DATABASE_URL = fields.TestDatabaseURL(
        help="Database the tests run against (default: the main one, name prefixed with test_)."
    )
    CACHE_URL = fields.CacheURL(default="locmemcache://", help="Cache (redis:// uses django-redis).")
    CACHE_NAMESPACE = fields.Str(
        help="Put before every cache key prefix and task queue name, e.g. staging (test runs set their own)."
    )
    EMAIL_URL = fields.EmailURL(
        default="consolemail://", help="Mail backend (smtp+tls://user:pass@host:587, consolemail://)."
    )
    DEFAULT_FROM_EMAIL = fields.Str(default="webmaster@localhost", help="Default sender address.")

    # Background tasks
    TASKS_BACKEND = fields.Choice(
        ["inprocess", "rq"], default="inprocess", help="Where tasks run: inprocess, or rq (workers)."
    )
    REDIS_URL = fields.URL(
        schemes=["redis", "rediss", "unix"],
        default=DEFAULT_REDIS_URL,
        help="Redis of the task queues (TASKS_BACKEND=rq).",
    )
    CHANNEL_LAYER_URL = fields.URL(
        schemes=["redis", "rediss", "unix", "memory"],
        help="Channel layer of WebSockets and live events (default: REDIS_URL when Redis is configured, "
        "else memory://, one process only).",
    )
    TASK_QUEUES = fields.List(
        default=["default"], help="Task queues, highest priority first (default is always one)."
    )

    # Requests and responses
    MAX_REQUEST_BODY_SIZE = fields.Int(
        min_value=0, setting="KIT.MAX_REQUEST_BODY_SIZE", help="Largest accepted body, in bytes."
    )
    PAGE_SIZE = fields.Int(min_value=1, setting="KIT.PAGE_SIZE", help="Default page size of lists.")
    MAX_PAGE_SIZE = fields.Int(
        min_value=1, setting="KIT.MAX_PAGE_SIZE", help="Largest page size a client may ask for."
    )
    COUNT_ESTIMATE_ABOVE = fields.Int(
        min_value=0,
        setting="KIT.COUNT_ESTIMATE_ABOVE",
        help="PostgreSQL: lists estimated above this many rows answer the estimate as their count.",
    )
    CSV_MAX_ROWS = fields.Int(
        min_value=0,
        setting="KIT.CSV_MAX_ROWS",
        help="Most rows a CSV export may hold (400 export_too_large beyond); 0: no limit.",
    )
    API_DOCS_URL = fields.Str(setting="KIT.API_DOCS_URL", help="Path of the API docs (Swagger UI).")
    API_DOCS_ENABLED = fields.Bool(setting="KIT.API_DOCS_ENABLED", help="Serve the schema and docs UIs.")
    API_DOCS_PERMISSION = fields.Str(
        setting="KIT.API_DOCS_PERMISSION", help="DRF permission class guarding the docs (e.g. IsAdminUser)."
    )

    # Identity and access (docs/authentication.md, docs/authorization.md, docs/throttling.md)
    AUTHORIZATION_BACKEND = fields.Str(
        setting="KIT.AUTHORIZATION_BACKEND", help="Import string of the authorization backend."
    )
    ROLES = fields.List(
        setting="KIT.ROLES",
        help="Roles, lowest first (a higher role holds the lower ones); unset: the role field's choices.",
    )
    AUTH_THROTTLE_RATE = fields.Rate(
        setting="KIT.AUTH_THROTTLE_RATE",
        help="Requests per client address to /api/auth/ and logins per account, e.g. 20/minute; off: none.",
    )
    NUM_PROXIES = fields.Int(
        min_value=0,
        setting="REST_FRAMEWORK.NUM_PROXIES",
        help="Proxies of yours in front, adding X-Forwarded-For (0: the client is REMOTE_ADDR).",
    )
    JWT_COOKIE_NAME = fields.Str(
        setting="KIT.JWT_COOKIE_NAME", help="Also send JWTs in HttpOnly cookies of this name."
    )
    JWT_COOKIE_DOMAIN = fields.Str(setting="KIT.JWT_COOKIE_DOMAIN", help="Domain of the JWT cookies.")
    JWT_COOKIE_SAMESITE = fields.Choice(
        ["lax", "strict", "none"], setting="KIT.JWT_COOKIE_SAMESITE", help="SameSite of the JWT cookies."
    )

    # CORS (django-cors-headers)
    CORS_ALLOWED_ORIGINS = fields.List(
        help="Origins browsers may call the API from (https://app.example.com)."
    )
    CORS_ALLOW_ALL_ORIGINS = fields.Bool(help="Allow every origin (a public API without cookies).")
    CORS_ALLOW_CREDENTIALS = fields.Bool(help="Let cross-origin requests send cookies.")
    CORS_URLS_REGEX = fields.Str(help="Paths CORS applies to (default ^/api/).")

    # WebSockets (docs/realtime.md)
    WS_URL_PREFIX = fields.Str(setting="KIT.WS_URL_PREFIX", help="Path prefix of the WebSocket routes (ws/).")
    WS_MAX_MESSAGE_SIZE = fields.Int(
        min_value=1,
        setting="KIT.WS_MAX_MESSAGE_SIZE",
        help="Largest client message, in bytes (then close 1009).",
    )
    WS_AUTH_TIMEOUT = fields.Float(
        setting="KIT.WS_AUTH_TIMEOUT", help="Seconds a connection has to authenticate (then close 4401)."
    )
    WS_MESSAGE_RATE = fields.Rate(
        setting="KIT.WS_MESSAGE_RATE", help="Messages a connection may send, e.g. 120/minute; off: no limit."
    )
    WS_SEND_TIMEOUT = fields.Float(
        setting="KIT.WS_SEND_TIMEOUT", help="Seconds a client may take to accept a frame (then close 1008)."
    )
    PUBLISH_EVENTS = fields.Bool(
        setting="KIT.PUBLISH_EVENTS", help="Every model view with a resource publishes live events."
    )

    # Logging (docs/logging.md)
    LOG_LEVEL = fields.Choice(
        ["debug", "info", "warning", "error", "critical"], setting="KIT.LOG_LEVEL", help="Root log level."
    )
    LOG_FORMAT = fields.Choice(
        ["text", "json"], setting="KIT.LOG_FORMAT", help="Log lines as text or as one JSON object each."
    )
    LOG_QUEUE = fields.Bool(setting="KIT.LOG_QUEUE", help="Write logs from a background thread.")
    LOG_FILE = fields.Path(setting="KIT.LOG_FILE", help="Also write logs to this file (size-rotated).")
    LOG_FILE_MAX_BYTES = fields.Int(
        min_value=1, setting="KIT.LOG_FILE_MAX_BYTES", help="Size at which LOG_FILE is rotated."
    )
    LOG_FILE_BACKUP_COUNT = fields.Int(
        min_value=0, setting="KIT.LOG_FILE_BACKUP_COUNT", help="Rotated log files kept."
    )

    # Health, status and monitoring (docs/health.md, docs/monitoring.md)
    GIT_REVISION = fields.Str(setting="KIT.GIT_REVISION", help="Git revision shown by /status.")
    STATUS_URL = fields.Str(setting="KIT.STATUS_URL", help="Path of the status endpoint.")
    HEALTH_CHECK_TIMEOUT = fields.Float(
        setting="KIT.HEALTH_CHECK_TIMEOUT", help="Seconds each health check may take."
    )
    HEALTH_CHECK_ON_STARTUP = fields.Bool(
        setting="KIT.HEALTH_CHECK_ON_STARTUP", help="Servers and workers refuse to start unhealthy."
    )
    METRICS_ENABLED = fields.Bool(setting="KIT.METRICS_ENABLED", help="Serve Prometheus metrics.")
    METRICS_TOKEN = fields.Str(
        secret=True, setting="KIT.METRICS_TOKEN", help="Bearer token required by /metrics."
    )
    SENTRY_DSN = fields.URL(secret=True, help="Report errors to this Sentry project.")
    SENTRY_ENVIRONMENT = fields.Str(help="Environment name on Sentry events (production, staging).")
    SENTRY_TRACES_SAMPLE_RATE = fields.Float(
        default=0.0, help="Share of requests traced for Sentry performance (0 to 1)."
    )

    # Production server, manage.py serve (docs/deployment.md)
    WEB_CONCURRENCY = fields.Int(
        min_value=1, setting="KIT.WEB_CONCURRENCY", help="gunicorn worker processes."
    )
    WEB_THREADS = fields.Int(
        min_value=1, setting="KIT.WEB_THREADS", help="Threads per worker (gthread when > 1)."
    )
    WEB_TIMEOUT = fields.Int(
        min_value=1, setting="KIT.WEB_TIMEOUT", help="Seconds before a stuck worker is restarted."
    )
    WEB_GRACEFUL_TIMEOUT = fields.Int(
        min_value=0, setting="KIT.WEB_GRACEFUL_TIMEOUT", help="Seconds to finish requests on SIGTERM."
    )
    WEB_MAX_REQUESTS = fields.Int(
        min_value=0, setting="KIT.WEB_MAX_REQUESTS", help="Restart a worker after this many requests."
    )

    # HTTPS and cookies (production)
    SECURE_SSL_REDIRECT = fields.Bool(default=False, help="Redirect plain HTTP to HTTPS.")
    SECURE_HSTS_SECONDS = fields.Int(default=0, min_value=0, help="HSTS max-age (0: no header).")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = fields.Bool(default=False, help="HSTS includeSubDomains.")
    SECURE_HSTS_PRELOAD = fields.Bool(default=False, help="HSTS preload.")
    SECURE_PROXY_SSL_HEADER = fields.Bool(
        default=False, help="Trust X-Forwarded-Proto: https from the proxy in front."
    )
    SESSION_COOKIE_SECURE = fields.Bool(default=_not_debug, help="Send cookies over HTTPS only.")
    CSRF_COOKIE_SECURE = fields.Bool(default=_not_debug, help="Send the CSRF cookie over HTTPS only.")
    CSRF_TRUSTED_ORIGINS = fields.List(default=[], help="Origins trusted for unsafe requests.")

    def finalize(self, settings: Settings) -> list[str]:
        problems: list[str] = []
        if not settings.get("SECRET_KEY"):
            if settings.get("DEBUG"):
                settings["SECRET_KEY"] = DEV_SECRET_KEY
            else:
                problems.append("SECRET_KEY: is required when DEBUG is off")
        _move_conn_max_age(settings)
        if settings.get("SECURE_PROXY_SSL_HEADER") is True:
            settings["SECURE_PROXY_SSL_HEADER"] = ("HTTP_X_FORWARDED_PROTO", "https")
        elif settings.get("SECURE_PROXY_SSL_HEADER") is False:
            settings["SECURE_PROXY_SSL_HEADER"] = None
        _prefix_cache_keys(settings)
        apply_task_settings(settings)
        apply_channel_layer_settings(settings)
        _build_logging(settings)
        _init_sentry(settings)
        return problems


def _move_conn_max_age(settings: Settings) -> None:
    """``DATABASE_CONN_MAX_AGE`` applies to every database whose config does not set its own."""
    databases: dict[str, Any] = dict(settings.get("DATABASES") or {})
    max_age = settings.get("DATABASE_CONN_MAX_AGE")
    for alias, config in databases.items():
        config = dict(config)
        if max_age is not None:
            config.setdefault("CONN_MAX_AGE", max_age)
        config.setdefault("CONN_HEALTH_CHECKS", bool(config.get("CONN_MAX_AGE")))
        databases[alias] = config
    settings["DATABASES"] = databases


def _build_logging(settings: Settings) -> None:
    """``LOGGING`` from the log options, unless settings.py assigned its own."""
    from kit.conf import base
    from kit.logging import logging_from_settings

    if settings.get("LOGGING", base.LOGGING) is base.LOGGING:
        settings["LOGGING"] = logging_from_settings(settings)


def _init_sentry(settings: Settings) -> None:
    from kit.monitoring import init_sentry

    init_sentry(
        settings.get("SENTRY_DSN"),
        environment=settings.get("SENTRY_ENVIRONMENT"),
        release=(settings.get("KIT") or {}).get("SERVICE_VERSION"),
        traces_sample_rate=settings.get("SENTRY_TRACES_SAMPLE_RATE") or 0.0,
    )


def _prefix_cache_keys(settings: Settings) -> None:
    """Keys of a shared cache are prefixed with the service name, so services can share Redis;
    ``CACHE_NAMESPACE`` goes before the prefix of every cache."""
    from kit.cache.namespaces import namespace_caches

    caches = dict(settings.get("CACHES") or {})
    name = (settings.get("KIT") or {}).get("SERVICE_NAME")
    if "default" in caches and name:
        caches["default"] = {"KEY_PREFIX": name, **caches["default"]}
    namespace = settings.get("CACHE_NAMESPACE")
    settings["CACHES"] = namespace_caches(caches, namespace) if namespace else caches
