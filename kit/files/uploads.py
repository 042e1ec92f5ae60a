"""Checks of one uploaded file against its field's rules: size (413), real content type (415), name.

:class:`UploadRules` holds a field's limits; :func:`check_upload` answers the file's content type
(what its bytes say, agreeing with what the client declared) or raises the problem; :func:`safe_name`
turns the client's file name into one that cannot leave the field's folder.
"""

from __future__ import annotations

import mimetypes
import posixpath
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from fnmatch import fnmatchcase

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename

from kit.errors.exceptions import Problem
from kit.files.sniffing import OCTET_STREAM, TEXT, is_text_type, normal_type, sniff_content_types

#: Longest kept file name (before the storage adds a suffix to make it unique).
MAX_NAME_LENGTH = 80
FALLBACK_NAME = "file"


@dataclass(frozen=True)
class UploadRules:
    """The limits of one file field: ``max_size`` bytes, ``content_types`` patterns (``image/*``).

    ``content_types=None`` accepts any type, as long as the file's bytes agree with the declared one.
    """

    max_size: int
    content_types: Collection[str] | None = None

    def allows(self, content_type: str) -> bool:
        if self.content_types is None:
            return True
        return any(fnmatchcase(content_type, normal_type(pattern)) for pattern in self.content_types)


def check_upload(file: UploadedFile, rules: UploadRules, field: str) -> str:
    """The content type of ``file``, checked against ``rules``; 413 or 415 problems otherwise."""
    if file.size is not None and file.size > rules.max_size:
        raise _problem(413, "payload_too_large", f"The file is larger than {rules.max_size} bytes.", field)
    declared = normal_type(file.content_type or OCTET_STREAM)
    content_type = _agreed_type(declared, sniff_content_types(file))
    if content_type is None:
        detail = f"The file's content does not match its declared type {declared}."
        raise _problem(415, "unsupported_media_type", detail, field)
    if not rules.allows(content_type):
        raise _problem(
            415, "unsupported_media_type", f"Files of type {content_type} are not accepted.", field
        )
    return content_type


def safe_name(name: str | None, content_type: str) -> str:
    """A plain file name for a stored file: no folder, no ``..``, no control characters, and an
    extension that matches ``content_type`` (``photo.php`` holding a PNG is stored as ``photo.php.png``)."""
    base = posixpath.basename((name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFKC", base)
    base = "".join(char for char in base if unicodedata.category(char)[0] != "C").lstrip(".")
    try:
        base = get_valid_filename(base)
    except SuspiciousFileOperation:  # nothing usable left ("", ".", "..")
        base = FALLBACK_NAME
    stem, extension = posixpath.splitext(base)
    guessed = mimetypes.guess_type(f"x{extension}")[0] if extension else None
    if guessed is not None and normal_type(guessed) == content_type:
        return _shorten(stem, extension)
    if guessed is None and content_type == OCTET_STREAM:
        return _shorten(stem, extension)  # bytes of no known type, under no known extension
    return _shorten(base, mimetypes.guess_extension(content_type) or ".bin")


def _shorten(stem: str, extension: str) -> str:
    return stem[: max(1, MAX_NAME_LENGTH - len(extension))] + extension


def _agreed_type(declared: str, sniffed: tuple[str, ...]) -> str | None:
    """The file's type when the client's declaration agrees with its bytes, else None."""
    if sniffed == (TEXT,):
        return declared if is_text_type(declared) else None
    if sniffed == (OCTET_STREAM,):
        return OCTET_STREAM if declared == OCTET_STREAM else None
    if declared in sniffed:
        return declared
    if declared == OCTET_STREAM:
        return sniffed[0]  # the client did not know: the bytes say
    return None


def _problem(status: int, code: str, detail: str, field: str) -> Problem:
    error = {"attr": field, "code": code, "detail": detail, "pointer": f"#/{field}"}
    return Problem(status, code, detail, errors=[error])
