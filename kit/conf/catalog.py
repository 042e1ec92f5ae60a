"""Every ``KIT`` option, declared once: default, description, docs section and environment variable.

Add an option here and it gets its ``KIT`` default, its environment variable (when ``env`` is
given) and its row in docs/settings.md (regenerate it with ``scripts/settings-reference``).
"""

from __future__ import annotations

from kit.conf import fields
from kit.conf.declaration import Option
from kit.conf.fields import Settings

SERVICE_IDENTITY = "Service identity"
REQUESTS_AND_RESPONSES = "Requests and responses"
PROBLEM_DETAILS = "Problem details (errors)"
FILES = "Files"
API_DOCUMENTATION = "API documentation"
AUTHORIZATION = "Authorization"
AUTHENTICATION = "Authentication"
ACCOUNTS = "Accounts"
ONE_TIME_TOKENS = "One-time tokens"
TEMPLATES = "Templates"
HEALTH_AND_STATUS = "Health and status"
LOGGING = "Logging"
METRICS = "Metrics"
PRODUCTION_SERVER = "Production server (manage.py serve)"
UPSTREAMS = "Upstreams (calling other services)"
REALTIME = "WebSockets and live events"
RPC = "RPC endpoints"


def _service_name(settings: Settings) -> str:
    return str(settings.get("__name__", "service")).split(".")[0]


OPTIONS: tuple[Option, ...] = (
    # Service identity
    Option(
        "SERVICE_NAME",
        default=None,
        doc="Service name (`/status`, cache key prefix).",
        section=SERVICE_IDENTITY,
        default_doc="the project package",
        env=fields.Str(default=_service_name, help="Name shown by /status."),
    ),
    Option(
        "SERVICE_VERSION",
        default=None,
        doc="Service version (`/status`).",
        section=SERVICE_IDENTITY,
        env=fields.Str(help="Version shown by /status."),
    ),
    # Requests and responses
    Option(
        "MAX_REQUEST_BODY_SIZE",
        default=10 * 1024 * 1024,
        doc="Largest request body in bytes.",
        section=REQUESTS_AND_RESPONSES,
        env=fields.Int(min_value=0, help="Largest accepted body, in bytes."),
    ),
    Option(
        "REQUEST_ID_HEADER",
        default="X-Request-ID",
        doc="Header carrying the request id in and out.",
        section=REQUESTS_AND_RESPONSES,
    ),
    Option(
        "PAGE_SIZE",
        default=25,
        doc='Default page size of lists. Unset in `KIT`: `REST_FRAMEWORK["PAGE_SIZE"]` when that is '
        "set (both set and different: the check warning `kit.W017`).",
        section=REQUESTS_AND_RESPONSES,
        fallback="REST_FRAMEWORK.PAGE_SIZE",
        env=fields.Int(min_value=1, help="Default page size of lists."),
    ),
    Option(
        "MAX_PAGE_SIZE",
        default=100,
        doc="Hard maximum page size.",
        section=REQUESTS_AND_RESPONSES,
        env=fields.Int(min_value=1, help="Largest page size a client may ask for."),
    ),
    Option(
        "COUNT_ESTIMATE_ABOVE",
        default=None,
        doc=(
            "PostgreSQL: a list whose planner estimate exceeds this many rows answers the estimate as "
            "`count` (`meta.pagination.count_estimated`); see [counting](performance.md#counting)."
        ),
        section=REQUESTS_AND_RESPONSES,
        env=fields.Int(
            min_value=0,
            help="PostgreSQL: lists estimated above this many rows answer the estimate as their count.",
        ),
    ),
    Option(
        "CSV_MAX_ROWS",
        default=10_000,
        doc=(
            "Most rows a CSV export may hold: an export matching more answers 400 `export_too_large` "
            "(never a cut file). `None` or `0`: no limit; a view's `csv_max_rows` overrides it. See [CSV "
            "export](responses.md#csv-export)."
        ),
        section=REQUESTS_AND_RESPONSES,
        env=fields.Int(
            min_value=0,
            help="Most rows a CSV export may hold (400 export_too_large beyond); 0: no limit.",
        ),
    ),
    # Files
    Option(
        "UPLOAD_MAX_SIZE",
        default=10 * 1024 * 1024,
        doc="Largest uploaded file in bytes, for file fields that set no `max_size` (413 beyond). "
        "See [Files](files.md).",
        section=FILES,
        env=fields.Int(min_value=1, help="Largest uploaded file, in bytes, unless its field says."),
    ),
    Option(
        "UPLOAD_CONTENT_TYPES",
        default=None,
        doc='Types accepted by file fields that set no `content_types` (patterns such as `"image/*"`); '
        "`None`: any type whose bytes agree with it.",
        section=FILES,
    ),
    Option(
        "UPLOAD_FORM_MAX_SIZE",
        default=64 * 1024,
        doc="Bytes a multipart upload may hold besides its files (other fields, part headers): the body "
        "limit of a view taking files is the sum of its fields' `max_size` plus this.",
        section=FILES,
    ),
    Option(
        "DOWNLOAD_URL_MAX_AGE",
        default=3600,
        doc="Seconds a signed download URL (the kit's, or the storage's presigned one) stays valid.",
        section=FILES,
        env=fields.Int(min_value=1, help="Seconds a signed download URL is valid."),
    ),
    # Problem details
    Option(
        "PROBLEM_TYPE_BASE_URL",
        default="https://django-service-kit.dev/problems/",
        doc="Prefix of the `type` URI of problem responses (`None`: `about:blank`). See [Errors](errors.md).",
        section=PROBLEM_DETAILS,
    ),
    Option(
        "PROBLEM_HANDLER_CLASS",
        default="kit.errors.problems.ProblemHandler",
        doc="Class (or import string) turning exceptions into problems. See [Errors](errors.md).",
        section=PROBLEM_DETAILS,
        import_string=True,
    ),
    Option(
        "API_PATH_PREFIXES",
        default=["/api/"],
        doc=(
            "Paths under which every error is a problem, even for a client preferring HTML and with "
            "`DEBUG` on (no Django HTML or debug page). See [Errors](errors.md#errors-outside-drf-views)."
        ),
        section=PROBLEM_DETAILS,
    ),
    # API documentation
    Option(
        "API_DOCS_URL",
        default="/api/docs",
        doc="Path of the Swagger UI.",
        section=API_DOCUMENTATION,
        env=fields.Str(help="Path of the API docs (Swagger UI)."),
    ),
    Option(
        "API_DOCS_ENABLED",
        default=True,
        doc="Serve the schema and docs UIs.",
        section=API_DOCUMENTATION,
        env=fields.Bool(help="Serve the schema and docs UIs."),
    ),
    Option(
        "API_DOCS_PERMISSION",
        default=None,
        doc=(
            "DRF permission class (or import string) guarding the schema and docs UIs; `None`: everyone. "
            "See [OpenAPI](openapi.md)."
        ),
        section=API_DOCUMENTATION,
        env=fields.Str(help="DRF permission class guarding the docs (e.g. IsAdminUser)."),
        import_string=True,
    ),
    # RPC endpoints
    Option(
        "RPC_URL",
        default="/api/rpc",
        doc="Path of the JSON-RPC 2.0 and XML-RPC endpoint; `None` removes it. See [RPC](rpc.md).",
        section=RPC,
        env=fields.Str(help="Path of the RPC endpoint (JSON-RPC 2.0 and XML-RPC)."),
    ),
    Option(
        "RPC_MAX_BATCH_SIZE",
        default=100,
        doc="Most calls in one JSON-RPC batch (more: `-32600` invalid request); 0: no limit.",
        section=RPC,
        env=fields.Int(min_value=0, help="Most calls in one JSON-RPC batch; 0: no limit."),
    ),
    # Authorization
    Option(
        "AUTHORIZATION_BACKEND",
        default="kit.authorization.backends.RightsBackend",
        doc=(
            "Import string of the [authorization](authorization.md) backend: `NullBackend`, `RoleBackend`,"
            " `RightsBackend` or your own."
        ),
        section=AUTHORIZATION,
        env=fields.Str(help="Import string of the authorization backend."),
        import_string=True,
    ),
    Option(
        "ROLE_FIELD",
        default="role",
        doc="Attribute of the user holding their role.",
        section=AUTHORIZATION,
    ),
    Option(
        "ROLES",
        default=None,
        doc=(
            "Roles, lowest first: a higher role holds the lower ones. `None`: the `choices` of the "
            '`ROLE_FIELD` field, in their order (`["regular", "admin"]` when it has none). See '
            "[Roles](authorization.md#roles)."
        ),
        section=AUTHORIZATION,
        env=fields.List(
            help="Roles, lowest first (a higher role holds the lower ones); unset: the role field's choices.",
        ),
    ),
    Option(
        "ROLE_PERMISSIONS",
        default={},
        doc='Permissions each role grants, e.g. `{"regular": ["items:read"], "admin": ["*:*"]}`.',
        section=AUTHORIZATION,
    ),
    Option(
        "EXTRA_PERMISSIONS",
        default=[],
        doc=(
            'Permissions checked only in code (`has_permission`), e.g. `["reports:export"]`: the admin '
            "accepts rights for them besides those the views declare. See [rights in the "
            "admin](authorization.md)."
        ),
        section=AUTHORIZATION,
    ),
    Option(
        "SUPERUSER_HAS_ALL_PERMISSIONS",
        default=True,
        doc="Users with `is_superuser` hold every permission.",
        section=AUTHORIZATION,
    ),
    Option(
        "PERMISSIONS_CACHE",
        default="default",
        doc="Cache alias holding permission sets (share it between processes).",
        section=AUTHORIZATION,
    ),
    Option(
        "PERMISSIONS_CACHE_TIMEOUT",
        default=3600,
        doc="Seconds a cached permission set lives (changes invalidate it at once anyway).",
        section=AUTHORIZATION,
    ),
    Option(
        "CACHE_ACCOUNTS",
        default=True,
        doc=(
            "JWT authentication reads the token's user from `PERMISSIONS_CACHE` (versioned like permission"
            " sets) instead of the database; see [caching](authorization.md#caching)."
        ),
        section=AUTHORIZATION,
    ),
    # Authentication
    Option(
        "JWT_COOKIE_NAME",
        default=None,
        doc=(
            "Name of the access-token cookie; `None` turns the [cookie "
            "transport](authentication.md#cookie-transport) off."
        ),
        section=AUTHENTICATION,
        env=fields.Str(help="Also send JWTs in HttpOnly cookies of this name."),
    ),
    Option(
        "JWT_REFRESH_COOKIE_NAME",
        default=None,
        doc="Name of the refresh-token cookie (default: the access cookie's name + `_refresh`).",
        section=AUTHENTICATION,
    ),
    Option(
        "JWT_COOKIE_DOMAIN",
        default=None,
        doc="Domain of the JWT cookies (`None`: the request's host).",
        section=AUTHENTICATION,
        env=fields.Str(help="Domain of the JWT cookies."),
    ),
    Option(
        "JWT_COOKIE_PATH",
        default="/",
        doc="Path of the access-token cookie.",
        section=AUTHENTICATION,
    ),
    Option(
        "JWT_REFRESH_COOKIE_PATH",
        default="/api/auth/",
        doc="Path of the refresh-token cookie (only the auth endpoints see it).",
        section=AUTHENTICATION,
    ),
    Option(
        "JWT_COOKIE_SAMESITE",
        default="Lax",
        doc="SameSite of the JWT cookies.",
        section=AUTHENTICATION,
        env=fields.Choice(["lax", "strict", "none"], help="SameSite of the JWT cookies."),
    ),
    Option(
        "JWT_COOKIE_SECURE",
        default=None,
        doc="`Secure` flag of the JWT cookies; `None`: on unless DEBUG.",
        section=AUTHENTICATION,
    ),
    Option(
        "JWT_COOKIE_MAX_AGE",
        default=None,
        doc="Cookie lifetime in seconds; `None`: the token's lifetime.",
        section=AUTHENTICATION,
    ),
    Option(
        "TOKEN_REVOCATION_CACHE",
        default="default",
        doc=(
            "Cache alias holding each user's JWT revocations, read from the database (share it between "
            "processes)."
        ),
        section=AUTHENTICATION,
    ),
    Option(
        "CACHE_INVALIDATION_CHECK_SECONDS",
        default=1.0,
        doc=(
            "How often each process deletes the cache keys recorded in the database while the cache was "
            "unreachable; see [Redis outages](cache.md#redis-outages)."
        ),
        section=AUTHENTICATION,
    ),
    Option(
        "API_KEY_HEADER",
        default="X-API-Key",
        doc="The header carrying an [API key](api-keys.md) (besides `Authorization: Api-Key`).",
        section=AUTHENTICATION,
    ),
    Option(
        "API_KEY_LAST_USED_INTERVAL",
        default=300,
        doc="An API key's `last_used_at` is written at most once per this many seconds.",
        section=AUTHENTICATION,
    ),
    Option(
        "AUTH_THROTTLE_RATE",
        default="20/minute",
        doc=(
            "Requests per client address to `/api/auth/` and `/admin/login/`, and login attempts per "
            "account; `None` turns it off. See [Throttling](throttling.md)."
        ),
        section=AUTHENTICATION,
        env=fields.Rate(
            help=(
                "Requests per client address to /api/auth/ and logins per account, e.g. 20/minute; off: none."
            ),
        ),
    ),
    # Accounts
    Option(
        "ACCOUNT_FLOWS",
        default=[],
        doc=(
            "The [account flows](accounts.md) served under `/api/auth/`: any of `signup`, `password_reset`, "
            "`password_change`, `email_change`, `mfa`, `sessions`."
        ),
        section=ACCOUNTS,
    ),
    Option(
        "ACCOUNT_LINKS",
        default={},
        doc=(
            "Per purpose (`verify_email`, `password_reset`, `email_change`), the link account emails carry, "
            "with `{token}`; without one the email carries the token as a code."
        ),
        section=ACCOUNTS,
    ),
    Option(
        "ACCOUNT_VERIFY_MAX_AGE",
        default=3 * 24 * 3600,
        doc="Lifetime in seconds of email verification and email change tokens (3 days).",
        section=ACCOUNTS,
    ),
    Option(
        "ACCOUNT_RESET_MAX_AGE",
        default=3600,
        doc="Lifetime in seconds of password reset tokens.",
        section=ACCOUNTS,
    ),
    Option(
        "MFA_REQUIRED_ROLES",
        default=[],
        doc="Roles (`ROLE_FIELD` values) that cannot log in without a TOTP second factor.",
        section=ACCOUNTS,
    ),
    Option(
        "MFA_ISSUER",
        default=None,
        doc="The issuer authenticator apps show.",
        section=ACCOUNTS,
        default_doc="`SERVICE_NAME`",
    ),
    Option(
        "MFA_RECOVERY_CODES",
        default=10,
        doc="How many recovery codes a user gets.",
        section=ACCOUNTS,
    ),
    Option(
        "MFA_THROTTLE_RATE",
        default="5/hour",
        doc=(
            "Wrong second-factor codes allowed per user (then 429 until the window passes; `None`: "
            "unlimited)."
        ),
        section=ACCOUNTS,
    ),
    # One-time tokens
    Option(
        "ONE_TIME_TOKEN_MAX_AGE",
        default=3600,
        doc="Default lifetime in seconds of [one-time tokens](authentication.md#one-time-tokens).",
        section=ONE_TIME_TOKENS,
    ),
    Option(
        "ONE_TIME_TOKEN_CACHE",
        default="default",
        doc=(
            "Cache alias remembering used and revoked one-time tokens to spare the database (which records"
            " them)."
        ),
        section=ONE_TIME_TOKENS,
    ),
    # Templates
    Option(
        "TEMPLATE_ENGINE",
        default=None,
        doc=(
            '`NAME` of the `TEMPLATES` engine `kit.rendering` renders with (`"jinja2"`); `None`: the '
            "first engine. See [Templates](templates.md)."
        ),
        section=TEMPLATES,
    ),
    # Health and status
    Option(
        "HEALTH_CHECKS",
        default=[],
        doc=(
            "Check classes (import strings) the probes run after the kit's own. See [Health and "
            "status](health.md)."
        ),
        section=HEALTH_AND_STATUS,
        import_string=True,
    ),
    Option(
        "HEALTH_HOOK",
        default=None,
        doc=(
            "Import string of the project's `get_health()` function (Colibris); it fails the probes by "
            "raising."
        ),
        section=HEALTH_AND_STATUS,
        import_string=True,
    ),
    Option(
        "HEALTH_CHECK_TIMEOUT",
        default=5.0,
        doc="Seconds a check may take (a check class may set its own `timeout`).",
        section=HEALTH_AND_STATUS,
        env=fields.Float(help="Seconds each health check may take."),
    ),
    Option(
        "HEALTH_REQUIRE_WORKERS",
        default=True,
        doc="With the RQ task backend, readiness needs at least one worker per queue.",
        section=HEALTH_AND_STATUS,
    ),
    Option(
        "HEALTH_TASK_QUEUES",
        default=None,
        doc=(
            "RQ queues the probes and metrics watch; `None`: those of `RQ_QUEUES` when the RQ task backend"
            " is on."
        ),
        section=HEALTH_AND_STATUS,
    ),
    Option(
        "HEALTH_CHECK_ON_STARTUP",
        default=False,
        doc="Run the checks when a server or worker starts; refuse to start when unhealthy.",
        section=HEALTH_AND_STATUS,
        env=fields.Bool(help="Servers and workers refuse to start unhealthy."),
    ),
    Option(
        "STATUS_URL",
        default="/status",
        doc="Path of the status endpoint; `None` removes it.",
        section=HEALTH_AND_STATUS,
        env=fields.Str(help="Path of the status endpoint."),
    ),
    Option(
        "GIT_REVISION",
        default=None,
        doc="Git revision in `/status`.",
        section=HEALTH_AND_STATUS,
        env=fields.Str(help="Git revision shown by /status."),
    ),
    Option(
        "GIT_REVISION_FILE",
        default="REVISION",
        doc="File whose first line is the git revision when `GIT_REVISION` is unset.",
        section=HEALTH_AND_STATUS,
    ),
    # Logging
    Option(
        "LOG_LEVEL",
        default="INFO",
        doc="Root log level. See [Logging](logging.md).",
        section=LOGGING,
        env=fields.Choice(["debug", "info", "warning", "error", "critical"], help="Root log level."),
    ),
    Option(
        "LOG_FORMAT",
        default="text",
        doc="`text` or `json`.",
        section=LOGGING,
        env=fields.Choice(["text", "json"], help="Log lines as text or as one JSON object each."),
    ),
    Option(
        "LOG_QUEUE",
        default=False,
        doc="Non-blocking logging through a queue and a writer thread.",
        section=LOGGING,
        env=fields.Bool(help="Write logs from a background thread."),
    ),
    Option(
        "LOG_FILE",
        default=None,
        doc="Path of a size-rotated log file, written besides stdout.",
        section=LOGGING,
        env=fields.Path(help="Also write logs to this file (size-rotated)."),
    ),
    Option(
        "LOG_FILE_MAX_BYTES",
        default=10 * 1024 * 1024,
        doc="Rotation size of `LOG_FILE`.",
        section=LOGGING,
        env=fields.Int(min_value=1, help="Size at which LOG_FILE is rotated."),
    ),
    Option(
        "LOG_FILE_BACKUP_COUNT",
        default=5,
        doc="Rotated files kept.",
        section=LOGGING,
        env=fields.Int(min_value=0, help="Rotated log files kept."),
    ),
    # Metrics
    Option(
        "METRICS_ENABLED",
        default=False,
        doc="Serve Prometheus metrics. See [Monitoring](monitoring.md).",
        section=METRICS,
        env=fields.Bool(help="Serve Prometheus metrics."),
    ),
    Option(
        "METRICS_TOKEN",
        default=None,
        doc="Bearer token required by `/metrics`.",
        section=METRICS,
        env=fields.Str(secret=True, help="Bearer token required by /metrics."),
    ),
    Option(
        "METRICS_URL",
        default="/metrics",
        doc="Path of the metrics endpoint.",
        section=METRICS,
    ),
    # Production server, manage.py serve
    Option(
        "WEB_CONCURRENCY",
        default=None,
        doc="gunicorn workers of `manage.py serve`. See [Deployment](deployment.md).",
        section=PRODUCTION_SERVER,
        default_doc="2 × CPUs + 1, at most 8",  # noqa: RUF001
        env=fields.Int(min_value=1, help="gunicorn worker processes."),
    ),
    Option(
        "WEB_THREADS",
        default=1,
        doc="Threads per worker (`gthread` when > 1).",
        section=PRODUCTION_SERVER,
        env=fields.Int(min_value=1, help="Threads per worker (gthread when > 1)."),
    ),
    Option(
        "WEB_TIMEOUT",
        default=30,
        doc="Worker timeout in seconds.",
        section=PRODUCTION_SERVER,
        env=fields.Int(min_value=1, help="Seconds before a stuck worker is restarted."),
    ),
    Option(
        "WEB_GRACEFUL_TIMEOUT",
        default=30,
        doc="Seconds to finish requests after SIGTERM.",
        section=PRODUCTION_SERVER,
        env=fields.Int(min_value=0, help="Seconds to finish requests on SIGTERM."),
    ),
    Option(
        "WEB_MAX_REQUESTS",
        default=0,
        doc="Requests after which a worker is replaced (0: never).",
        section=PRODUCTION_SERVER,
        env=fields.Int(min_value=0, help="Restart a worker after this many requests."),
    ),
    # Upstreams: other services this one calls (docs/services.md)
    Option(
        "UPSTREAMS",
        default={},
        doc='Upstreams by name, each a dict of options (`{"users": {"URL": ["http://users:8888"], '
        '"TIMEOUT": 2.0}}`), filled from `SERVICE_<NAME>_*`. See [Calling other services](services.md).',
        section=UPSTREAMS,
    ),
    Option(
        "UPSTREAM_CONNECT_TIMEOUT",
        default=1.0,
        doc="Default connect timeout of upstream calls, in seconds.",
        section=UPSTREAMS,
    ),
    Option("UPSTREAM_TIMEOUT", default=5.0, doc="Default read timeout of each attempt.", section=UPSTREAMS),
    Option(
        "UPSTREAM_DEADLINE",
        default=10.0,
        doc="Default deadline of a call, retries included.",
        section=UPSTREAMS,
    ),
    Option("UPSTREAM_RETRIES", default=2, doc="Default number of retries.", section=UPSTREAMS),
    Option(
        "UPSTREAM_BACKOFF",
        default=0.05,
        doc="First retry wait in seconds (doubling, with as much jitter).",
        section=UPSTREAMS,
    ),
    Option(
        "UPSTREAM_BACKOFF_MAX",
        default=2.0,
        doc="Longest retry wait, unless `Retry-After` asks more.",
        section=UPSTREAMS,
    ),
    Option(
        "UPSTREAM_BREAKER_THRESHOLD",
        default=5,
        doc="Default consecutive failures opening a member's circuit breaker.",
        section=UPSTREAMS,
    ),
    Option(
        "UPSTREAM_BREAKER_RESET",
        default=10.0,
        doc="Default seconds before an open breaker lets a probe through.",
        section=UPSTREAMS,
    ),
    Option(
        "UPSTREAM_MAX_RESPONSE_SIZE",
        default=10 * 1024 * 1024,
        doc="Default largest response body read, in bytes.",
        section=UPSTREAMS,
    ),
    Option(
        "UPSTREAM_MAX_REDIRECTS",
        default=3,
        doc="Redirects an upstream call follows (more: 502 `bad_gateway`).",
        section=UPSTREAMS,
    ),
    Option(
        "UPSTREAM_READY_PATH",
        default="/health/ready",
        doc="Default path of the upstream readiness check.",
        section=UPSTREAMS,
    ),
    # WebSockets and live events
    Option(
        "WS_URL_PREFIX",
        default="ws/",
        doc="Path prefix of the WebSocket routes (`<project>/asgi.py`). See [Real-time](realtime.md).",
        section=REALTIME,
        env=fields.Str(help="Path prefix of the WebSocket routes (ws/)."),
    ),
    Option(
        "WS_MAX_MESSAGE_SIZE",
        default=64 * 1024,
        doc="Largest client message in bytes (`payload_too_large`, then close 1009).",
        section=REALTIME,
        env=fields.Int(min_value=1, help="Largest client message, in bytes (then close 1009)."),
    ),
    Option(
        "WS_AUTH_TIMEOUT",
        default=5.0,
        doc="Seconds a connection without credentials has to send `authenticate` (then close 4401).",
        section=REALTIME,
        env=fields.Float(help="Seconds a connection has to authenticate (then close 4401)."),
    ),
    Option(
        "WS_MESSAGE_RATE",
        default="120/minute",
        doc="Messages a connection may send (`throttled` beyond; a consumer's `message_rate` overrides it; "
        "`None`: no limit).",
        section=REALTIME,
        env=fields.Rate(help="Messages a connection may send, e.g. 120/minute; off: no limit."),
    ),
    Option(
        "WS_SEND_TIMEOUT",
        default=10.0,
        doc="Seconds a client may take to accept a frame before it is closed with 1008 (a client that does "
        "not read).",
        section=REALTIME,
        env=fields.Float(help="Seconds a client may take to accept a frame (then close 1008)."),
    ),
    Option(
        "WS_COMPRESSION",
        default=False,
        doc="Offer permessage-deflate to WebSocket clients: less bandwidth, but about 45 KiB more memory "
        "per connection and each frame compressed for each connection (see [Real-time](realtime.md)).",
        section=REALTIME,
        env=fields.Bool(help="Offer permessage-deflate compression to WebSocket clients."),
    ),
    Option(
        "PUBLISH_EVENTS",
        default=False,
        doc="Every model view with a `resource` publishes live events (else only views with "
        "`publish_events = True`).",
        section=REALTIME,
        env=fields.Bool(help="Every model view with a resource publishes live events."),
    ),
)
