"""System checks of the file settings (registered by ``kit.checks``).

- ``kit.E080``: the default storage cannot work: a ``STORAGE_URL`` setting that does not parse, a
  backend that does not import (django-storages or boto3 missing), an S3 storage without a bucket;
- ``kit.E081``: a file option of ``KIT`` is malformed (sizes and ages must be positive integers,
  ``UPLOAD_CONTENT_TYPES`` None or a list of ``type/subtype`` patterns).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.utils.module_loading import import_string

from kit.files.storage_url import S3_BACKEND, storage_config

POSITIVE_OPTIONS = ("UPLOAD_MAX_SIZE", "UPLOAD_FORM_MAX_SIZE", "DOWNLOAD_URL_MAX_AGE")
INSTALL_HINT = "pip install 'django-service-kit[files]' (django-storages, boto3, Pillow, puremagic)."


def check_storage(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E080: the default storage (``STORAGE_URL``, ``STORAGES["default"]``) cannot work."""
    raw = getattr(settings, "STORAGE_URL", None)
    if isinstance(raw, str):
        try:
            storage_config(raw)
        except (ValueError, ImportError) as error:
            return [_storage_error(f"STORAGE_URL {error}.", "file:///var/lib/service/media or s3://bucket")]
    default = (getattr(settings, "STORAGES", None) or {}).get("default")
    if not default:
        return []
    backend = default.get("BACKEND", "")
    try:
        import_string(backend)
    except ImportError as error:
        return [_storage_error(f"The default storage {backend!r} does not import: {error}.", INSTALL_HINT)]
    if backend == S3_BACKEND and not (default.get("OPTIONS") or {}).get("bucket_name"):
        return [_storage_error("The default storage is S3 without a bucket.", "STORAGE_URL=s3://bucket")]
    return []


def check_file_options(app_configs: Sequence[Any] | None, **kwargs: Any) -> list[CheckMessage]:
    """kit.E081: malformed file options of ``KIT``."""
    options = getattr(settings, "KIT", None) or {}
    problems = []
    for name in POSITIVE_OPTIONS:
        value = options.get(name, 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(f'KIT["{name}"] must be a positive whole number, not {value!r}.')
    types = options.get("UPLOAD_CONTENT_TYPES")
    if types is not None and (
        isinstance(types, str) or not all(isinstance(item, str) and "/" in item for item in types)
    ):
        problems.append(
            f'KIT["UPLOAD_CONTENT_TYPES"] must be None or a list like ["image/*"], not {types!r}.'
        )
    return [Error(problem, hint="See docs/files.md.", id="kit.E081") for problem in problems]


def _storage_error(message: str, hint: str) -> Error:
    return Error(message, hint=hint, id="kit.E080")
