"""``STORAGE_URL``: where uploaded files are kept, as a URL turned into ``STORAGES["default"]``.

- ``file:///var/lib/service/media``: the local disk (Django's ``FileSystemStorage``) in that folder;
- ``s3://bucket``, ``s3://bucket/prefix?endpoint=http://minio:9000&region=eu-west-1``: an S3
  bucket, or any S3-compatible object storage (MinIO, Ceph, R2...), through django-storages.
  Credentials come from ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` (never from the URL).

Query options of ``s3://`` (each optional): ``endpoint``, ``region``, ``addressing_style``
(``path`` or ``virtual``), ``signed`` (``true``: presigned download URLs, the default),
``custom_domain``, ``connect_timeout`` and ``read_timeout`` (seconds, default 5 and 30),
``max_attempts`` (default 2). An unknown option is an error, never silently dropped.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

FILE_SYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"
SCHEMES = ("file", "s3")
S3_OPTIONS = frozenset(
    {"endpoint", "region", "addressing_style", "signed", "custom_domain", "connect_timeout", "read_timeout"}
    | {"max_attempts"}
)
#: Seconds to connect to the object storage, and to wait for each answer; attempts per call. A
#: storage that is down fails the request in seconds (503 ``service_unavailable``), not minutes.
S3_CONNECT_TIMEOUT = 5.0
S3_READ_TIMEOUT = 30.0
S3_MAX_ATTEMPTS = 2
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def storage_config(url: str) -> dict[str, Any]:
    """The ``STORAGES`` entry of ``url``; ``ValueError`` with a short reason when it is malformed."""
    parts = urlsplit(url.strip())
    if parts.scheme not in SCHEMES or "://" not in url:
        raise ValueError("must be file:///path or s3://bucket[/prefix][?endpoint=...&region=...]")
    if parts.scheme == "file":
        return _file_config(parts.netloc, unquote(parts.path), parts.query)
    return _s3_config(parts.netloc, unquote(parts.path), parts.query)


def _file_config(host: str, path: str, query: str) -> dict[str, Any]:
    """The local disk: files under ``path``, their public URLs under ``MEDIA_URL``."""
    if host or not path.startswith("/") or query:
        raise ValueError("a file URL names an absolute folder: file:///var/lib/service/media")
    return {"BACKEND": FILE_SYSTEM_BACKEND, "OPTIONS": {"location": path}}


def _s3_config(bucket: str, path: str, query: str) -> dict[str, Any]:
    if not _is_bucket_name(bucket):
        raise ValueError("names no valid bucket (s3://bucket-name/optional/prefix)")
    params = dict(parse_qsl(query, keep_blank_values=True))
    unknown = sorted(set(params) - S3_OPTIONS)
    if unknown:
        raise ValueError(
            f"has unknown options: {', '.join(unknown)} (known: {', '.join(sorted(S3_OPTIONS))})"
        )
    endpoint = params.get("endpoint")
    if endpoint is not None and urlsplit(endpoint).scheme not in ("http", "https"):
        raise ValueError("endpoint must be an http:// or https:// URL")
    style = params.get("addressing_style", "auto")
    if style not in ("auto", "path", "virtual"):
        raise ValueError("addressing_style must be path, virtual or auto")
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": path.strip("/"),
        "endpoint_url": endpoint,
        "region_name": params.get("region") or None,
        "addressing_style": None if style == "auto" else style,
        "querystring_auth": _flag(params.get("signed", "true"), "signed"),
        "custom_domain": params.get("custom_domain") or None,
        "file_overwrite": False,
        "default_acl": None,
        "client_config": _client_config(params),
    }
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


def _client_config(params: dict[str, str]) -> Any:
    """botocore's ``Config``: short timeouts and few retries (a storage that is down fails fast)."""
    try:
        from botocore.config import Config
    except ImportError:
        raise ValueError("needs boto3 and django-storages: pip install 'django-service-kit[files]'") from None

    return Config(
        connect_timeout=_number(params.get("connect_timeout"), S3_CONNECT_TIMEOUT, "connect_timeout"),
        read_timeout=_number(params.get("read_timeout"), S3_READ_TIMEOUT, "read_timeout"),
        retries={
            "max_attempts": int(_number(params.get("max_attempts"), S3_MAX_ATTEMPTS, "max_attempts")),
            "mode": "standard",
        },
        signature_version="s3v4",
    )


def _is_bucket_name(name: str) -> bool:
    """S3's rules, loosely: 3 to 63 lowercase letters, digits, dots and dashes."""
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789.-")
    return 3 <= len(name) <= 63 and set(name) <= allowed and name[0].isalnum() and name[-1].isalnum()


def _flag(raw: str, name: str) -> bool:
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ValueError(f"{name} must be true or false")


def _number(raw: str | None, default: float, name: str) -> float:
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive")
    return value
