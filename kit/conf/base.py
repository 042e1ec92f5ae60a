"""Base Django settings for a kit service: ``from kit.conf.base import *`` in a project's settings.

Everything here is a default. The project's settings module overrides what it needs and then
applies the environment with its settings schema (``load_from_env(globals())``).
"""

from typing import Any

import django as _django
from corsheaders.defaults import default_headers as _cors_default_headers

from kit.conf.tasks import task_settings as _task_settings
from kit.logging import build_logging

INSTALLED_APPS = [
    "kit",  # first: its runserver command and templates take precedence
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
if _django.VERSION < (6, 0):  # the django-tasks backport of django.tasks
    INSTALLED_APPS.append("django_tasks")

MIDDLEWARE = [
    "kit.middleware.RequestIDMiddleware",
    "kit.monitoring.middleware.MetricsMiddleware",
    "kit.health.middleware.HealthProbeMiddleware",
    "kit.middleware.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kit.api.cors.CorsMiddleware",  # django-cors-headers', without the signal the kit alone receives
    "kit.middleware.BodySizeLimitMiddleware",
    "kit.middleware.ProblemMiddleware",
    "kit.browser_state.SessionMiddleware",  # Django's, lazy: no cost for requests without a session
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "kit.browser_state.AuthenticationMiddleware",  # Django's, one call: the same lazy request.user
    "kit.tasks.middleware.TaskContextMiddleware",
    "kit.browser_state.MessageMiddleware",  # Django's, lazy: no cost for requests without messages
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# ModelBackend: passwords, user and group permissions; PermissionSetBackend: the kit's permission set
# (rights, roles) answering user.has_perm("items:read") and {{ perms }} (docs/authorization.md).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "kit.authorization.django_backend.PermissionSetBackend",
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
# whitenoise serves the collected files (STATIC_ROOT, set by the project) with compressed copies
# made by collectstatic; file names are not hashed, so no manifest is needed in tests.
# The "default" storage (uploads) comes from STORAGE_URL (kit.files.storage_url, docs/files.md)
# unless settings.py gives its own; this one stands until the environment is loaded.
_DEFAULT_STORAGE: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES: dict[str, Any] = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Plain Django views answer CSRF failures as problems (API clients) or Django's page (browsers).
CSRF_FAILURE_VIEW = "kit.errors.handlers.csrf_failure"
# The whole body is limited by KIT["MAX_REQUEST_BODY_SIZE"] (BodySizeLimitMiddleware); Django's own
# in-memory limit would otherwise refuse form and request.body reads over 2.5 MB below that limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = None

# CORS (django-cors-headers): no origin is allowed until CORS_ALLOWED_ORIGINS names some (env);
# views add their own with kit.api.decorators.cors.
CORS_ALLOWED_ORIGINS: list[str] = []
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_HEADERS = [*_cors_default_headers, "x-request-id", "x-api-key"]
CORS_EXPOSE_HEADERS = [
    "X-Request-ID",
    "Location",
    "Retry-After",
    "Deprecation",
    "Sunset",
    "Link",
    "Content-Disposition",
]

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_RENDERER_CLASSES": ["kit.api.renderers.EnvelopeJSONRenderer"],
    "EXCEPTION_HANDLER": "kit.errors.problems.exception_handler",
    # JSON bodies only; a view whose serializer takes files adds multipart (kit.views.parsers).
    "DEFAULT_PARSER_CLASSES": ["kit.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "kit.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["kit.filters.backends.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "kit.api.pagination.PageNumberPagination",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "kit.api.negotiation.ContentNegotiation",
    # The first class's scheme goes into WWW-Authenticate (so 401 stays 401, docs/authentication.md).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kit.authentication.jwt.authentication.JWTAuthentication",
        "kit.authentication.api_keys.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["kit.authorization.permissions.HasRequiredPermissions"],
    # Client addresses (throttles): REMOTE_ADDR; X-Forwarded-For only behind NUM_PROXIES proxies of yours.
    "NUM_PROXIES": 0,
}

SIMPLE_JWT: dict[str, Any] = {
    "AUTH_TOKEN_CLASSES": ("kit.authentication.jwt.tokens.AccessToken",),
    "TOKEN_OBTAIN_SERIALIZER": "kit.authentication.jwt.serializers.TokenObtainSerializer",
    "TOKEN_REFRESH_SERIALIZER": "kit.authentication.jwt.serializers.TokenRefreshSerializer",
    "TOKEN_VERIFY_SERIALIZER": "kit.authentication.jwt.serializers.TokenVerifySerializer",
}

SPECTACULAR_SETTINGS: dict[str, Any] = {
    # Unset title and version: the service's name and version (kit.openapi.generators).
    "TITLE": "",
    "VERSION": None,
    "DEFAULT_GENERATOR_CLASS": "kit.openapi.generators.SchemaGenerator",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "GET_LIB_DOC_EXCLUDES": "kit.openapi.schema.lib_doc_excludes",
    "PREPROCESSING_HOOKS": ["kit.api.decorators.hide_development_only"],
    # No badge calling the online validator (validator.swagger.io): the docs work offline.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# Tasks: in-process by default; TASKS_BACKEND=rq with REDIS_URL in production (kit.conf.tasks).
_tasks = _task_settings()
TASKS: dict[str, Any] = _tasks["TASKS"]
RQ_QUEUES: dict[str, Any] = _tasks["RQ_QUEUES"]

# A Redis cache that is down degrades to cache misses (logged on kit.cache), never a 500.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "kit.cache"

KIT: dict[str, Any] = {}

# Logging: rebuilt from the KIT log options (LOG_LEVEL, LOG_FORMAT, ...) when the settings schema
# loads, unless the project assigns its own LOGGING. LOGGING_OVERRIDES is merged into it.
LOGGING: dict[str, Any] = build_logging()
LOGGING_OVERRIDES: dict[str, Any] = {}
