"""The download view of stored files: ``api/files/<token>/<filename>`` (``kit-file-download``).

The signed token is the permission: it was handed out by an API response the caller was allowed
to read, and it expires (``KIT["DOWNLOAD_URL_MAX_AGE"]``). A tampered or expired token answers 403
``forbidden``; no session, token or key is needed, so ``<img src>`` and downloads work.
"""

from __future__ import annotations

from django.apps import apps
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db.models import FileField
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_safe

from kit.conf import kit_settings
from kit.errors.exceptions import Problem
from kit.files.responses import stored_file_response
from kit.files.signing import read_download_token

INVALID = "The download link is invalid or has expired."


@require_safe
def download(request: HttpRequest, token: str, filename: str) -> FileResponse:
    """Stream the file a valid download token names."""
    try:
        label, name = read_download_token(token, max_age=kit_settings.DOWNLOAD_URL_MAX_AGE)
    except signing.BadSignature:
        raise Problem(403, "forbidden", INVALID) from None
    field = _file_field(label)
    if field is None:
        raise Problem(403, "forbidden", INVALID)
    return stored_file_response(field.storage, name)


def _file_field(label: str) -> FileField | None:
    """The file field ``app_label.Model.field`` names, or None (a model removed since signing)."""
    model_label, _, field_name = label.rpartition(".")
    try:
        field = apps.get_model(model_label)._meta.get_field(field_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    return field if isinstance(field, FileField) else None
