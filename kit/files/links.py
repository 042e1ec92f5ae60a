"""Download URLs of stored files: the storage's own signed URL when it signs them (S3 presigned),
else a URL of the kit's download view carrying a signed, expiring token (:mod:`kit.files.signing`).

Either way the URL expires after ``KIT["DOWNLOAD_URL_MAX_AGE"]`` seconds: a client gets one by
reading the object through the API (the view's rights apply), and nobody can guess one.
"""

from __future__ import annotations

import posixpath
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.urls import reverse

from kit.conf import kit_settings
from kit.files.errors import storage_errors
from kit.files.signing import download_token

DOWNLOAD_URL_NAME = "kit-file-download"


def signs_urls(storage: Any) -> bool:
    """Whether ``storage`` hands out signed, expiring URLs itself (django-storages' S3 by default)."""
    return bool(getattr(storage, "querystring_auth", False))


def file_url(file: FieldFile, request: HttpRequest | None = None) -> str | None:
    """The download URL of ``file`` (absolute when ``request`` is given), or None when empty."""
    if not file or not file.name:
        return None
    max_age = kit_settings.DOWNLOAD_URL_MAX_AGE
    storage: Any = file.storage
    if signs_urls(storage):
        with storage_errors():
            return str(storage.url(file.name, expire=max_age))
    field = file.field
    token = download_token(f"{field.model._meta.label}.{field.name}", file.name)
    filename = posixpath.basename(file.name)
    path = reverse(DOWNLOAD_URL_NAME, kwargs={"token": token, "filename": filename})
    return request.build_absolute_uri(path) if request is not None else path
