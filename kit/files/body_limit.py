"""The largest body a view taking files accepts, known before the body is read.

A multipart body holds the files and the other fields: its limit is the sum of the file fields'
``max_size`` plus ``KIT["UPLOAD_FORM_MAX_SIZE"]`` for the rest. :func:`refuse_oversized_upload`
answers 413 ``payload_too_large`` from ``Content-Length`` alone: the client learns it before sending
the body (the process-wide ``KIT["MAX_REQUEST_BODY_SIZE"]`` still applies first).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rest_framework import serializers

from kit.conf import kit_settings
from kit.errors.exceptions import Problem
from kit.files.fields import UploadFieldMixin

#: Methods whose body may carry files (lowercase, as views name their handlers).
UPLOAD_METHODS = frozenset({"post", "put", "patch"})


def upload_body_limit(serializer_class: type[serializers.BaseSerializer]) -> int | None:
    """The largest body ``serializer_class`` accepts, or None when it takes no checked files."""
    fields: dict[str, Any] = getattr(serializer_class(), "fields", {})
    uploads = [
        field for field in fields.values() if isinstance(field, UploadFieldMixin) and not field.read_only
    ]
    if not uploads:
        return None
    return sum(field.rules.max_size for field in uploads) + kit_settings.UPLOAD_FORM_MAX_SIZE


def refuse_oversized_upload(
    request: HttpRequest, serializer_class: type[serializers.BaseSerializer] | None
) -> None:
    """413 when the declared ``Content-Length`` is over the body limit of ``serializer_class``."""
    if serializer_class is None or str(request.method).lower() not in UPLOAD_METHODS:
        return
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    limit = upload_body_limit(serializer_class) if declared else None
    if limit is not None and declared > limit:
        raise Problem(413, "payload_too_large", f"The request body is larger than {limit} bytes.")
