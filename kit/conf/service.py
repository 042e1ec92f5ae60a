"""``ServiceSettings``: the environment variables every kit service understands.

A project subclasses it to add its own variables and calls ``load_from_env(globals())`` at the end
of its settings module. Loading has no side effects: it only writes settings (Sentry starts in the
kit's ``AppConfig.ready()``). docs/settings.md lists every variable with its default (generated).
"""

from __future__ import annotations

import pathlib
from typing import Any

from kit.conf import fields
from kit.conf.catalog import OPTIONS
from kit.conf.channels import apply_channel_layer_settings
from kit.conf.fields import Settings
from kit.conf.schema import Family, SettingsSchema
from kit.conf.tasks import DEFAULT_REDIS_URL, apply_task_settings

DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-it-in-production"
LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


def _sqlite_beside_project(settings: Settings) -> str:
    base_dir = settings.get("BASE_DIR")
    return f"sqlite:///{base_dir / 'db.sqlite3'}" if base_dir else "sqlite:///db.sqlite3"


def _media_beside_project(settings: Settings) -> pathlib.Path:
    base_dir = settings.get("BASE_DIR")
    return pathlib.Path(base_dir) / "media" if base_dir else pathlib.Path.cwd() / "media"


def _storage_in_media_root(settings: Settings) -> str:
    """``STORAGE_URL`` written in settings.py, else the local disk at ``MEDIA_ROOT``."""
    written = settings.get("STORAGE_URL")
    return written if isinstance(written, str) else pathlib.Path(settings["MEDIA_ROOT"]).resolve().as_uri()


def _not_debug(settings: Settings) -> bool:
    return not settings.get("DEBUG", False)


class ServiceSettings(SettingsSchema, options=OPTIONS):
    """The kit's standard environment variables; those that set ``KIT`` options are declared with
    the options (kit.conf.catalog) and follow these."""

    # General
    DEBUG = fields.Bool(
        default=False,
        help="Development mode: detailed errors, no secret needed.",
        doc="Development mode: detailed errors; SECRET_KEY may be omitted. The generated "
        "`.env.default` sets it to `true`.",
    )
    SECRET_KEY = fields.Str(
        secret=True,
        min_length=32,
        help="Signs sessions and tokens. Required unless DEBUG.",
        doc="Signs sessions and tokens; at least 32 characters.",
        default_doc="required unless DEBUG",
    )
    ALLOWED_HOSTS = fields.List(default=LOCAL_HOSTS, help="Host names the service answers to.")
    LISTEN = fields.Str(
        default="0.0.0.0",  # noqa: S104
        help="Interface runserver and serve bind to.",
        doc="Interface `runserver` and `serve` bind to.",
    )
    PORT = fields.Int(default=8888, min_value=1, max_value=65535, help="TCP port to listen on.")
    TIME_ZONE = fields.Str(default="UTC", help="Default time zone.")
    LANGUAGE_CODE = fields.Str(default="en-us", help="Default language.")

    # Services, as URLs
    DATABASE_URL = fields.DatabaseURL(
        default=_sqlite_beside_project,
        help="Main database (sqlite, postgres, mysql URLs).",
        doc="Main database: `postgres://user:pass@host:5432/name`, `mysql://user:pass@host:3306/name`, "
        "`sqlite:////abs/path.db`. PostgreSQL needs the `postgres` extra (psycopg), MySQL the `mysql` "
        "extra (PyMySQL, or mysqlclient when installed); without it the service does not start. PostgreSQL "
        "and MySQL connections get `connect_timeout=5` unless the URL sets one (`?connect_timeout=10`), "
        "see [database outages](deployment.md#database-outages).",
        default_doc="`sqlite:///<BASE_DIR>/db.sqlite3`",
    )
    DATABASE_CONN_MAX_AGE = fields.Int(
        default=60,
        min_value=0,
        help="Seconds a database connection is kept open (0: one per request).",
        doc="Seconds a connection stays open (0: one per request); health checks are on when > 0.",
    )
    TEST_DATABASE_URL = fields.TestDatabaseURL(
        help="Database the tests run against (default: the main one, name prefixed with test_).",
        doc="Database the tests run against.",
        default_doc="the main database, name prefixed `test_`",
    )
    CACHE_URL = fields.CacheURL(
        default="locmemcache://",
        help="Cache (redis:// uses django-redis).",
        doc="Cache: `redis://host:6379/0` (django-redis, with the kit's "
        "[near cache](cache.md#near-cache-for-the-kits-keys-redis); "
        "`?client_class=django_redis.client.DefaultClient` without), `locmemcache://`, "
        "`dbcache://table`, `dummycache://`.",
    )
    CACHE_NAMESPACE = fields.Str(
        help="Put before every cache key prefix and task queue name, e.g. staging (test runs set their own).",
        doc="Put before the `KEY_PREFIX` of every cache alias (`staging` gives "
        "`staging:my_service:1:<key>`), for processes that share a cache server but not keys; also "
        "before the name of every RQ task queue in Redis (`staging:default`). Test runs set their "
        "own ([Testing](testing.md#caches-in-tests)).",
    )
    EMAIL_URL = fields.EmailURL(
        default="consolemail://",
        help="Mail backend (smtp+tls://user:pass@host:587, consolemail://).",
        doc="Mail: `smtp+tls://user:pass@host:587`, `smtps://...:465`, `consolemail://`, "
        "`memorymail://`, `filemail:///path`.",
    )
    DEFAULT_FROM_EMAIL = fields.Str(default="webmaster@localhost", help="Default sender address.")

    # Other services this one calls (docs/services.md): SERVICE_<NAME>_URL and its options
    SERVICES = Family(
        "SERVICE_",
        {
            "URL": fields.List(
                item=fields.URL(schemes=["http", "https"]),
                help="Base URL of the upstream <name>, or its members comma-separated.",
                doc='Declares the upstream `<name>` (`upstream("<name>")`): its base URL, or its members '
                'comma-separated. See [Calling other services](services.md). `KIT["UPSTREAMS"]`.',
            ),
            "TIMEOUT": fields.Float(
                min_value=0.001,
                default_doc='`KIT["UPSTREAM_TIMEOUT"]`',
                help="Seconds each attempt may wait for an answer.",
            ),
            "CONNECT_TIMEOUT": fields.Float(
                min_value=0.001,
                default_doc='`KIT["UPSTREAM_CONNECT_TIMEOUT"]`',
                help="Seconds to open a connection.",
            ),
            "DEADLINE": fields.Float(
                min_value=0.001,
                default_doc='`KIT["UPSTREAM_DEADLINE"]`',
                help="Seconds a call may take, retries included.",
            ),
            "RETRIES": fields.Int(
                min_value=0,
                max_value=10,
                default_doc='`KIT["UPSTREAM_RETRIES"]`',
                help="Retries of a failed idempotent call.",
            ),
            "API_KEY": fields.Str(secret=True, help="API key sent to the upstream (Authorization: Api-Key)."),
            "TOKEN": fields.Str(secret=True, help="Bearer token (a service JWT) sent to the upstream."),
            "BREAKER_THRESHOLD": fields.Int(
                min_value=1,
                default_doc='`KIT["UPSTREAM_BREAKER_THRESHOLD"]`',
                help="Consecutive failures that open a member's circuit breaker.",
            ),
            "BREAKER_RESET": fields.Float(
                min_value=0.001,
                default_doc='`KIT["UPSTREAM_BREAKER_RESET"]`',
                help="Seconds an open breaker waits before a probe call.",
            ),
            "MAX_RESPONSE_SIZE": fields.Int(
                min_value=1,
                default_doc='`KIT["UPSTREAM_MAX_RESPONSE_SIZE"]`',
                help="Largest response body read, in bytes.",
            ),
            "READY_CHECK": fields.Bool(help="/health/ready requires the upstream to be ready."),
            "READY_PATH": fields.Str(
                default_doc='`KIT["UPSTREAM_READY_PATH"]`', help="Path probed by the readiness check."
            ),
        },
        anchor="URL",
        setting="KIT.UPSTREAMS",
    )
    # Files (docs/files.md)
    MEDIA_ROOT = fields.Path(
        default=_media_beside_project,
        help="Folder of uploaded files on the local disk (file:// storage).",
        doc="Folder of uploaded files on the local disk (the default `STORAGE_URL`). See [Files](files.md).",
        default_doc="`<BASE_DIR>/media`",
    )
    MEDIA_URL = fields.Str(
        default="/media/",
        help="URL prefix of public files on the local disk.",
        doc="URL prefix of files on the local disk, for a web server of yours that serves them publicly "
        "(the kit serves them only through [signed links](files.md#downloads)).",
    )
    STORAGE_URL = fields.StorageURL(
        default=_storage_in_media_root,
        help="Where uploads are kept: file:///path, or s3://bucket[/prefix]?endpoint=...&region=...",
        doc='Where uploads are kept (`STORAGES["default"]`): `file:///var/lib/service/media`, or '
        "`s3://bucket[/prefix]?endpoint=http://minio:9000&region=eu-west-1` (django-storages; options in "
        "[Files](files.md#where-files-go-storage_url)). A malformed URL stops startup; `kit.E080` checks "
        "the storage.",
        default_doc="`file://<MEDIA_ROOT>`",
    )
    AWS_ACCESS_KEY_ID = fields.Str(
        secret=True,
        help="Access key of the s3:// storage.",
        doc="Access key of an `s3://` storage (unset: boto3's own lookup, e.g. an instance role).",
    )
    AWS_SECRET_ACCESS_KEY = fields.Str(secret=True, help="Secret key of the s3:// storage.")
    AWS_SESSION_TOKEN = fields.Str(secret=True, help="Session token of the s3:// storage (temporary keys).")

    # Background tasks
    TASKS_BACKEND = fields.Choice(
        ["inprocess", "rq"],
        default="inprocess",
        help="Where tasks run: inprocess, or rq (workers).",
        doc="Where tasks run: `inprocess` (in the enqueuing process) or `rq` (on `manage.py "
        "runworker` processes, through Redis). See [Tasks](tasks.md).",
    )
    REDIS_URL = fields.URL(
        schemes=["redis", "rediss", "unix"],
        default=DEFAULT_REDIS_URL,
        help="Redis of the task queues (TASKS_BACKEND=rq).",
        doc="Redis of the task queues (`TASKS_BACKEND=rq`): `redis://:pass@host:6379/2`, "
        "`rediss://...` (TLS). Give each service its own database number.",
    )
    CHANNEL_LAYER_URL = fields.URL(
        schemes=["redis", "rediss", "unix", "memory"],
        help="Channel layer of WebSockets and live events (default: REDIS_URL when Redis is configured, "
        "else memory://, one process only).",
        doc="Channel layer of WebSockets and live events: `redis://host:6379/2` (channels-redis, shared by "
        "every server process), `memory://` (one process, development only; `kit.W040` outside DEBUG). "
        "See [Real-time](realtime.md).",
        default_doc="`REDIS_URL` when Redis is configured (`REDIS_URL` set to another value than the "
        "default, or `TASKS_BACKEND=rq`), else `memory://`",
    )
    TASK_QUEUES = fields.List(
        default=["default"],
        help="Task queues, highest priority first (default is always one).",
        doc="Task queue names, highest priority first (`high,default,low`); `default` is always one of them.",
    )

    # Client addresses (docs/throttling.md)
    NUM_PROXIES = fields.Int(
        min_value=0,
        setting="REST_FRAMEWORK.NUM_PROXIES",
        help="Proxies of yours in front, adding X-Forwarded-For (0: the client is REMOTE_ADDR).",
        doc="Proxies of yours in front that append to `X-Forwarded-For`; 0: the client address is "
        "`REMOTE_ADDR` and the header is ignored. See "
        "[Throttling](throttling.md#the-client-address-num_proxies).",
        default_doc="`0`",
    )

    # CORS (django-cors-headers)
    CORS_ALLOWED_ORIGINS = fields.List(
        help="Origins browsers may call the API from (https://app.example.com).",
        doc="Origins browsers may call the API from "
        "(`https://app.example.com,https://admin.example.com`). See [Responses](responses.md#cors).",
        default_doc="empty",
    )
    CORS_ALLOW_ALL_ORIGINS = fields.Bool(
        help="Allow every origin (a public API without cookies).", default_doc="`false`"
    )
    CORS_ALLOW_CREDENTIALS = fields.Bool(
        help="Let cross-origin requests send cookies.", default_doc="`false`"
    )
    CORS_URLS_REGEX = fields.Str(
        help="Paths CORS applies to (default ^/api/).", doc="Paths CORS applies to.", default_doc="`^/api/`"
    )

    # Error reporting (docs/monitoring.md): Sentry starts in the kit's AppConfig.ready()
    SENTRY_DSN = fields.URL(
        secret=True,
        help="Report errors to this Sentry project.",
        doc="Report errors to this Sentry project (Django and RQ integrations). See "
        "[Monitoring](monitoring.md#sentry).",
    )
    SENTRY_ENVIRONMENT = fields.Str(
        help="Environment name on Sentry events (production, staging).",
        doc="Environment name on Sentry events (`production`, `staging`).",
    )
    SENTRY_TRACES_SAMPLE_RATE = fields.Float(
        default=0.0,
        help="Share of requests traced for Sentry performance (0 to 1).",
        doc="Share of requests traced for Sentry performance monitoring (0 to 1).",
        default_doc="`0`",
    )

    # HTTPS and cookies (production)
    SECURE_SSL_REDIRECT = fields.Bool(default=False, help="Redirect plain HTTP to HTTPS.")
    SECURE_HSTS_SECONDS = fields.Int(default=0, min_value=0, help="HSTS max-age (0: no header).")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = fields.Bool(default=False, help="HSTS includeSubDomains.")
    SECURE_HSTS_PRELOAD = fields.Bool(default=False, help="HSTS preload.")
    SECURE_PROXY_SSL_HEADER = fields.Bool(
        default=False,
        help="Trust X-Forwarded-Proto: https from the proxy in front.",
        doc="Trust `X-Forwarded-Proto: https` from the proxy in front.",
    )
    SESSION_COOKIE_SECURE = fields.Bool(
        default=_not_debug, help="Send cookies over HTTPS only.", default_doc="`true` unless DEBUG"
    )
    CSRF_COOKIE_SECURE = fields.Bool(
        default=_not_debug, help="Send the CSRF cookie over HTTPS only.", default_doc="`true` unless DEBUG"
    )
    CSRF_TRUSTED_ORIGINS = fields.List(
        default=[],
        help="Origins trusted for unsafe requests.",
        doc="Origins trusted for unsafe requests (`https://app.example.com`).",
        default_doc="empty",
    )

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
