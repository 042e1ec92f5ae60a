"""Streamed file responses (Atila's ``File`` and ``Static``): nothing is read into memory.

- :func:`file_response`: an open file (or a path) streamed as a download or inline;
- :func:`static_file`: a file of the local disk with ``Last-Modified``, answering 304 to a
  matching ``If-Modified-Since``;
- :func:`stored_file_response`: a file of a storage (local disk or object storage) by its name,
  503 when the storage is down, 404 when the file is gone.

Every response says ``X-Content-Type-Options: nosniff``: browsers use the type given, no guess.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from typing import IO, Any

from django.core.files.storage import Storage
from django.http import FileResponse, HttpRequest, HttpResponseBase, HttpResponseNotModified
from django.utils.http import http_date
from django.views.static import was_modified_since

from kit.errors.exceptions import Problem
from kit.files.errors import storage_errors


def file_response(
    file: IO[bytes] | str | os.PathLike[str],
    *,
    filename: str | None = None,
    content_type: str | None = None,
    as_attachment: bool = True,
) -> FileResponse:
    """Stream ``file`` (an open binary file, or a path); the type follows ``filename`` unless given."""
    handle: Any = open(file, "rb") if isinstance(file, str | os.PathLike) else file  # noqa: SIM115
    name = filename or os.path.basename(str(getattr(handle, "name", "") or ""))
    response = FileResponse(handle, as_attachment=as_attachment, filename=name)
    if content_type is not None:
        response["Content-Type"] = content_type
    elif not mimetypes.guess_type(name)[0]:
        response["Content-Type"] = "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def static_file(request: HttpRequest, path: str | os.PathLike[str]) -> HttpResponseBase:
    """Serve a file of the local disk inline, with ``Last-Modified`` and 304 answers (404 if missing)."""
    location = Path(path)
    try:
        stat = location.stat()
    except OSError:
        raise Problem(404, "not_found", "No file at this URL.") from None
    if not location.is_file():
        raise Problem(404, "not_found", "No file at this URL.")
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), int(stat.st_mtime)):
        return HttpResponseNotModified()
    response = file_response(location, as_attachment=False)
    response["Last-Modified"] = http_date(stat.st_mtime)
    return response


def stored_file_response(storage: Storage, name: str, *, as_attachment: bool = True) -> FileResponse:
    """Stream the file ``name`` of ``storage`` (503 when the storage is down, 404 when it is gone)."""
    with storage_errors():
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError:
            raise Problem(404, "not_found", "The file no longer exists.") from None
        except Exception as error:
            if _is_missing_object(error):
                raise Problem(404, "not_found", "The file no longer exists.") from None
            raise
    response = file_response(handle, filename=os.path.basename(name), as_attachment=as_attachment)
    response["Cache-Control"] = "private, no-store"
    return response


def _is_missing_object(error: Exception) -> bool:
    response = getattr(error, "response", None)
    code = str((response or {}).get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""
    return code in ("404", "NoSuchKey", "NotFound")
