"""Django system checks for kit misconfiguration.

Ids are stable: ``kit.E0xx`` errors stop ``runserver``/``migrate``, ``kit.W0xx`` warnings do not.
Every id is listed in docs/settings.md ("System checks").
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from kit.conf.options import DEFAULTS, IMPORT_STRINGS
from kit.conf.service import DEV_SECRET_KEY, LOCAL_HOSTS
from kit.files.checks import check_file_options, check_storage

REQUEST_ID_MIDDLEWARE = "kit.middleware.RequestIDMiddleware"
BODY_SIZE_MIDDLEWARE = "kit.middleware.BodySizeLimitMiddleware"
ACCESS_LOG_MIDDLEWARE = "kit.middleware.AccessLogMiddleware"
#: Kit middleware every service needs, in the order they must appear (others may stand between).
REQUIRED_MIDDLEWARE = (REQUEST_ID_MIDDLEWARE, ACCESS_LOG_MIDDLEWARE, BODY_SIZE_MIDDLEWARE)
#: Middleware that reads the request body: the body size limit must come before them.
BODY_READERS = ("django.middleware.csrf.CsrfViewMiddleware",)
LOCAL_DATABASE_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1"})
PROBE_MIDDLEWARE = "kit.health.middleware.HealthProbeMiddleware"
#: Middleware that validates the Host header (``ALLOWED_HOSTS``) or redirects plain HTTP to HTTPS:
#: the probe middleware must answer before them (orchestrators probe by IP address, over HTTP).
HOST_CHECKERS = (
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.sites.middleware.CurrentSiteMiddleware",
)


@register(Tags.security)
def check_secret_key(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E001: outside DEBUG the secret key must be set, long and not a development key."""
    if settings.DEBUG:
        return []
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        key = ""
    if not key:
        reason = "is not set"
    elif key == DEV_SECRET_KEY or key.startswith("django-insecure"):
        reason = "is a development key"
    elif len(key) < 32 or len(set(key)) < 8:
        reason = "is too short or too simple (at least 32 characters, 8 different)"
    else:
        return []
    return [
        Error(
            f"SECRET_KEY {reason} and DEBUG is off.",
            hint="Set SECRET_KEY in the environment, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
            id="kit.E001",
        )
    ]


@register(Tags.security)
def check_debug_in_production(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.W001: DEBUG is on while the configuration looks like production."""
    if not settings.DEBUG:
        return []
    signs = []
    hosts = [host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS]
    if hosts:
        signs.append(f"ALLOWED_HOSTS names {', '.join(hosts)}")
    remote = [
        alias
        for alias, config in settings.DATABASES.items()
        if config.get("ENGINE", "").rsplit(".", 1)[-1] != "sqlite3"
        and str(config.get("HOST", "")) not in LOCAL_DATABASE_HOSTS
    ]
    if remote:
        signs.append(f"database {', '.join(remote)} is on a remote host")
    if getattr(settings, "SECURE_SSL_REDIRECT", False):
        signs.append("SECURE_SSL_REDIRECT is on")
    if not signs:
        return []
    return [
        Warning(
            "DEBUG is on in what looks like a production configuration: " + "; ".join(signs) + ".",
            hint="DEBUG shows tracebacks and settings to clients: set DEBUG=false in production.",
            id="kit.W001",
        )
    ]


@register()
def check_middleware(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E002 (kit middleware missing) and kit.E003 (kit middleware out of order)."""
    middleware = list(settings.MIDDLEWARE)
    missing = [name for name in REQUIRED_MIDDLEWARE if name not in middleware]
    if missing:
        return [
            Error(
                f"MIDDLEWARE lacks {', '.join(missing)}.",
                hint="Start from kit.conf.base.MIDDLEWARE and add your own around it.",
                id="kit.E002",
            )
        ]
    problems: list[CheckMessage] = []
    if middleware[0] != REQUEST_ID_MIDDLEWARE:
        problems.append(
            Error(
                f"{REQUEST_ID_MIDDLEWARE} must be the first middleware.",
                hint="Every other middleware's log lines and errors need the request id.",
                id="kit.E003",
            )
        )
    positions = [middleware.index(name) for name in REQUIRED_MIDDLEWARE]
    if positions != sorted(positions):
        problems.append(
            Error(
                "Kit middleware is out of order.",
                hint=f"Keep this order: {', '.join(REQUIRED_MIDDLEWARE)}.",
                id="kit.E003",
            )
        )
    readers = [name for name in BODY_READERS if name in middleware]
    if any(middleware.index(name) < middleware.index(BODY_SIZE_MIDDLEWARE) for name in readers):
        problems.append(
            Error(
                f"{BODY_SIZE_MIDDLEWARE} must come before {', '.join(readers)}.",
                hint="Those middleware read the body; the size limit must be checked first.",
                id="kit.E003",
            )
        )
    return problems


@register()
def check_probe_middleware(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.W060: the probe middleware is missing, or comes after host validation or the HTTPS redirect."""
    middleware = list(settings.MIDDLEWARE)
    checkers = [name for name in HOST_CHECKERS if name in middleware]
    if not checkers:
        return []
    if PROBE_MIDDLEWARE not in middleware:
        problem = f"MIDDLEWARE lacks {PROBE_MIDDLEWARE}"
    else:
        position = middleware.index(PROBE_MIDDLEWARE)
        before = [name for name in checkers if middleware.index(name) < position]
        if not before:
            return []
        problem = f"{PROBE_MIDDLEWARE} comes after {', '.join(before)}"
    return [
        Warning(
            f"{problem}: health probes by IP address or over plain HTTP get 400 or a redirect.",
            hint=f"Put {PROBE_MIDDLEWARE} before {', '.join(checkers)} "
            "(kit.conf.base.MIDDLEWARE has it in place).",
            id="kit.W060",
        )
    ]


@register()
def check_kit_options(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.W002 (unknown KIT option) and kit.E004 (KIT import string that does not import)."""
    from django.utils.module_loading import import_string

    options = getattr(settings, "KIT", None) or {}
    problems: list[CheckMessage] = []
    for name in sorted(set(options) - set(DEFAULTS)):
        close = difflib.get_close_matches(name, DEFAULTS, n=1)
        problems.append(
            Warning(
                f"KIT has an unknown option {name!r}.",
                hint=f"Did you mean {close[0]!r}?" if close else "See docs/settings.md.",
                id="kit.W002",
            )
        )
    for name in sorted(IMPORT_STRINGS & set(options)):
        values = options[name] if isinstance(options[name], list | tuple) else [options[name]]
        for value in values:
            if not isinstance(value, str):
                continue
            try:
                import_string(value)
            except ImportError as error:
                problems.append(
                    Error(
                        f"KIT[{name!r}] = {value!r} cannot be imported: {error}.",
                        hint="Use a dotted path to a module attribute.",
                        id="kit.E004",
                    )
                )
    return problems


def _authentication_classes() -> list[str]:
    configured = (getattr(settings, "REST_FRAMEWORK", None) or {}).get("DEFAULT_AUTHENTICATION_CLASSES", [])
    return [
        item if isinstance(item, str) else f"{item.__module__}.{item.__qualname__}" for item in configured
    ]


@register(Tags.security)
def check_null_authentication(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E010: the null authentication backend outside DEBUG."""
    if settings.DEBUG or "kit.authentication.null.NullAuthentication" not in _authentication_classes():
        return []
    return [
        Error(
            "The null authentication backend accepts every request as a dummy account, and DEBUG is off.",
            hint="Remove kit.authentication.null.NullAuthentication from "
            "REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES'] (it is for development only).",
            id="kit.E010",
        )
    ]


@register(Tags.security)
def check_authorization_backend(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E011: the null authorization backend outside DEBUG; kit.E012: not a backend class."""
    from django.utils.module_loading import import_string

    from kit.authorization.backends import AuthorizationBackend, NullBackend

    path = (getattr(settings, "KIT", None) or {}).get(
        "AUTHORIZATION_BACKEND", DEFAULTS["AUTHORIZATION_BACKEND"]
    )
    try:
        backend = import_string(path) if isinstance(path, str) else path
    except ImportError as error:
        backend, reason = None, str(error)
    else:
        reason = "it is not a subclass of kit.authorization.backends.AuthorizationBackend"
    if not (isinstance(backend, type) and issubclass(backend, AuthorizationBackend)):
        return [
            Error(
                f"KIT['AUTHORIZATION_BACKEND'] = {path!r} is unusable: {reason}.",
                hint="Use kit.authorization.backends.RightsBackend, RoleBackend, or your own subclass "
                "of AuthorizationBackend.",
                id="kit.E012",
            )
        ]
    if issubclass(backend, NullBackend) and not settings.DEBUG:
        return [
            Error(
                "The null authorization backend grants every permission to everyone, and DEBUG is off.",
                hint="Set KIT['AUTHORIZATION_BACKEND'] to kit.authorization.backends.RightsBackend "
                "or RoleBackend.",
                id="kit.E011",
            )
        ]
    return []


@register()
def check_roles(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E013: ROLES must be None or a list of distinct names; ROLE_PERMISSIONS maps roles to lists."""
    from kit.conf import kit_settings

    roles, granted = kit_settings.ROLES, kit_settings.ROLE_PERMISSIONS
    valid = (
        (roles is None or isinstance(roles, list | tuple))
        and all(isinstance(role, str) and role and role != "*" for role in roles or ())
        and len(set(roles or ())) == len(roles or ())
        and isinstance(granted, dict)
        and all(isinstance(perms, list | tuple | set | frozenset) for perms in granted.values())
    )
    if valid:
        return []
    return [
        Error(
            "KIT['ROLES'] or KIT['ROLE_PERMISSIONS'] is malformed.",
            hint="ROLES: distinct role names, lowest first, e.g. ['regular', 'admin']; "
            "ROLE_PERMISSIONS: {'regular': ['items:read'], 'admin': ['*:*']}.",
            id="kit.E013",
        )
    ]


@register()
def check_auth_throttle_rate(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E014: AUTH_THROTTLE_RATE must be None or DRF's '<count>/<period>'."""
    from rest_framework.throttling import SimpleRateThrottle

    from kit.conf import kit_settings

    rate = kit_settings.AUTH_THROTTLE_RATE
    try:
        SimpleRateThrottle.parse_rate(None, rate)  # type: ignore[arg-type]
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return [
            Error(
                f"KIT['AUTH_THROTTLE_RATE'] = {rate!r} is not a rate.",
                hint="Use '<count>/<second|minute|hour|day>', e.g. '20/minute', or None to turn it off.",
                id="kit.E014",
            )
        ]
    return []


@register()
def check_csv_max_rows(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E070: CSV_MAX_ROWS must be None or a whole number of rows."""
    from kit.conf import kit_settings

    limit = kit_settings.CSV_MAX_ROWS
    if limit is None or (isinstance(limit, int) and not isinstance(limit, bool) and limit >= 0):
        return []
    return [
        Error(
            f"KIT['CSV_MAX_ROWS'] = {limit!r} is not a number of rows.",
            hint="Use a whole number (larger CSV exports are refused), or 0/None for no limit.",
            id="kit.E070",
        )
    ]


@register()
def check_num_proxies(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E020: REST_FRAMEWORK['NUM_PROXIES'] must be a count: unset, throttles trust any client."""
    from rest_framework.settings import api_settings

    num_proxies = api_settings.NUM_PROXIES
    if isinstance(num_proxies, int) and not isinstance(num_proxies, bool) and num_proxies >= 0:
        return []
    return [
        Error(
            f"REST_FRAMEWORK['NUM_PROXIES'] = {num_proxies!r}: throttles would take the client address "
            "from X-Forwarded-For, which any client can write.",
            hint="Set NUM_PROXIES to the number of your proxies in front (0: none), e.g. keep the kit's "
            "REST_FRAMEWORK defaults (**REST_FRAMEWORK from kit.conf.base).",
            id="kit.E020",
        )
    ]


@register()
def check_page_size(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.W017: KIT['PAGE_SIZE'] and REST_FRAMEWORK['PAGE_SIZE'] both set and different."""
    kit_size = (getattr(settings, "KIT", None) or {}).get("PAGE_SIZE")
    drf_size = (getattr(settings, "REST_FRAMEWORK", None) or {}).get("PAGE_SIZE")
    if kit_size is None or drf_size is None or kit_size == drf_size:
        return []
    return [
        Warning(
            f"REST_FRAMEWORK['PAGE_SIZE'] = {drf_size!r} is ignored: the kit's paginations use "
            f"KIT['PAGE_SIZE'] = {kit_size!r}.",
            hint="Set the page size in one place: KIT['PAGE_SIZE'] (or the PAGE_SIZE variable), or only "
            "REST_FRAMEWORK['PAGE_SIZE'], which the kit follows when KIT leaves PAGE_SIZE unset.",
            id="kit.W017",
        )
    ]


@register(Tags.database)
def check_count_estimate(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E016: COUNT_ESTIMATE_ABOVE must be None or a whole number; kit.W016: it needs PostgreSQL."""
    from kit.conf import kit_settings

    bound = kit_settings.COUNT_ESTIMATE_ABOVE
    if bound is None:
        return []
    if isinstance(bound, bool) or not isinstance(bound, int) or bound < 0:
        return [
            Error(
                f"KIT['COUNT_ESTIMATE_ABOVE'] = {bound!r} is not a number of rows.",
                hint="Use a whole number (larger lists answer an estimate), or None to count exactly.",
                id="kit.E016",
            )
        ]
    from django.db import connections

    if not any(connection.vendor == "postgresql" for connection in connections.all(initialized_only=False)):
        return [
            Warning(
                "KIT['COUNT_ESTIMATE_ABOVE'] has no effect: only PostgreSQL estimates counts.",
                hint="Lists on other databases count exactly; remove the option or use PostgreSQL.",
                id="kit.W016",
            )
        ]
    return []


@register(Tags.security)
def check_metrics(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E060 (metrics on without a token) and kit.E061 (metrics on, prometheus-client missing)."""
    from importlib.util import find_spec

    options = getattr(settings, "KIT", None) or {}
    if not options.get("METRICS_ENABLED"):
        return []
    problems: list[CheckMessage] = []
    if not options.get("METRICS_TOKEN"):
        problems.append(
            Error(
                "METRICS_ENABLED is on but METRICS_TOKEN is not set: /metrics refuses every scrape.",
                hint="Set METRICS_TOKEN to a long random value and give it to Prometheus "
                "(authorization: credentials in the scrape config).",
                id="kit.E060",
            )
        )
    if find_spec("prometheus_client") is None:
        problems.append(
            Error(
                "METRICS_ENABLED is on but prometheus-client is not installed.",
                hint="pip install 'django-service-kit[prod]' (or prometheus-client).",
                id="kit.E061",
            )
        )
    return problems


@register()
def check_upstreams(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E150 (a malformed upstream in ``KIT["UPSTREAMS"]``) and kit.E151 (upstreams configured,
    the ``services`` extra missing)."""
    from importlib.util import find_spec

    from kit.services.config import entry_problems

    upstreams = (getattr(settings, "KIT", None) or {}).get("UPSTREAMS") or {}
    problems: list[CheckMessage] = [
        Error(
            problem,
            hint="Set SERVICE_<NAME>_URL to http(s)://host[:port][/base/path], several comma-separated; "
            "see docs/services.md.",
            id="kit.E150",
        )
        for name, entry in upstreams.items()
        for problem in entry_problems(name, entry)
    ]
    missing = [package for package in ("httpx", "tenacity") if find_spec(package) is None]
    if upstreams and missing:
        problems.append(
            Error(
                f"Upstreams are configured but {', '.join(missing)} is not installed.",
                hint="pip install 'django-service-kit[services]'.",
                id="kit.E151",
            )
        )
    return problems


register(check_storage)
register(check_file_options)


#: Cache backends whose entries live in one process (or nowhere).
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, Tags.caches, deploy=True)
def check_shared_caches(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.W015 (``check --deploy``): the identity caches and the login throttle's counters (the
    ``default`` cache, DRF's throttle cache) must be shared by every process."""
    from kit.conf import kit_settings

    options = {
        "PERMISSIONS_CACHE": "rights and role changes, deactivations and cached accounts",
        "TOKEN_REVOCATION_CACHE": "logouts and revoked tokens",
    }
    caches = getattr(settings, "CACHES", {}) or {}
    warnings: list[CheckMessage] = []
    for option, shared in options.items():
        alias = getattr(kit_settings, option)
        backend = (caches.get(alias) or {}).get("BACKEND", "")
        if backend in PER_PROCESS_CACHES:
            warnings.append(
                Warning(
                    f"KIT[{option!r}] is the cache {alias!r}, kept in each process "
                    f"({backend.rsplit('.', 1)[-1]}): {shared} are not seen by the other processes.",
                    hint="Use a cache every process shares: CACHE_URL=redis://... (django-redis).",
                    id="kit.W015",
                )
            )
    backend = (caches.get(DEFAULT_CACHE_ALIAS) or {}).get("BACKEND", "")
    if kit_settings.AUTH_THROTTLE_RATE and backend in PER_PROCESS_CACHES:
        warnings.append(
            Warning(
                f"Login throttling counts attempts in the cache {DEFAULT_CACHE_ALIAS!r}, kept in each "
                f"process ({backend.rsplit('.', 1)[-1]}): every server process allows AUTH_THROTTLE_RATE "
                "on its own (a dummy cache counts nothing: no limit at all).",
                hint="Use a cache every process shares: CACHE_URL=redis://... (django-redis).",
                id="kit.W015",
            )
        )
    return warnings


@register(Tags.security)
def check_account_flows(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E090: ACCOUNT_FLOWS names unknown flows, or MFA_THROTTLE_RATE is not a rate;
    kit.E091: MFA_REQUIRED_ROLES needs the "mfa" flow (else those users could never log in) and
    known roles."""
    from rest_framework.throttling import SimpleRateThrottle

    from kit.accounts.flows import FLOWS
    from kit.authorization.roles import role_order
    from kit.conf import kit_settings

    errors: list[CheckMessage] = []
    flows = kit_settings.ACCOUNT_FLOWS
    unknown: list[Any] = (
        [flow for flow in flows if flow not in FLOWS] if isinstance(flows, list | tuple) else [flows]
    )
    try:
        SimpleRateThrottle.parse_rate(None, kit_settings.MFA_THROTTLE_RATE)  # type: ignore[arg-type]
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        unknown.append(f"MFA_THROTTLE_RATE={kit_settings.MFA_THROTTLE_RATE!r}")
    if unknown:
        names = ", ".join(map(str, unknown))
        errors.append(
            Error(
                f"KIT['ACCOUNT_FLOWS'] or KIT['MFA_THROTTLE_RATE'] is malformed: {names}.",
                hint=f"ACCOUNT_FLOWS: a list of {', '.join(FLOWS)}; MFA_THROTTLE_RATE: '5/hour' or None.",
                id="kit.E090",
            )
        )
    required = kit_settings.MFA_REQUIRED_ROLES
    if required and ("mfa" not in flows or not set(required) <= set(role_order())):
        errors.append(
            Error(
                f"KIT['MFA_REQUIRED_ROLES'] = {required!r} needs the 'mfa' flow and known roles.",
                hint=f"Add 'mfa' to KIT['ACCOUNT_FLOWS']; the roles are {', '.join(role_order())}.",
                id="kit.E091",
            )
        )
    return errors


@register(Tags.compatibility, deploy=True)
def check_channel_layer(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.W040 (``check --deploy``): WebSockets served (``ASGI_APPLICATION``) on the in-memory
    channel layer while DEBUG is off: events, ``send_to_user`` and revocations would reach only the
    process they start in."""
    layers = getattr(settings, "CHANNEL_LAYERS", None) or {}
    backend = (layers.get("default") or {}).get("BACKEND", "")
    in_memory = backend.endswith("InMemoryChannelLayer")
    if settings.DEBUG or not getattr(settings, "ASGI_APPLICATION", None) or not in_memory:
        return []
    return [
        Warning(
            "WebSockets use the in-memory channel layer while DEBUG is off: live events, send_to_user and "
            "the closing of revoked connections reach only the server process they start in.",
            hint="Set CHANNEL_LAYER_URL (or REDIS_URL) to a Redis every server process shares.",
            id="kit.W040",
        )
    ]
