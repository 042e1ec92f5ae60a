"""Signed, expiring download tokens for stored files (Django's signing, salted for this use only).

A token names a model's file field (``app_label.Model.field``: its storage) and the stored file's
name, with the time it was signed; :func:`read_download_token` refuses it when tampered with or
older than ``max_age`` seconds.
"""

from __future__ import annotations

from django.core import signing

SALT = "kit.files.download"


def download_token(field_label: str, name: str) -> str:
    """A URL-safe token for the file ``name`` of the model field ``field_label``."""
    return signing.dumps([field_label, name], salt=SALT, compress=True)


def read_download_token(token: str, *, max_age: int) -> tuple[str, str]:
    """The field label and file name of a token; ``signing.BadSignature`` (or its subclass
    ``SignatureExpired``) when it was tampered with or has expired."""
    value = signing.loads(token, salt=SALT, max_age=max_age)
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(part, str) for part in value)):
        raise signing.BadSignature("Malformed download token.")
    return value[0], value[1]
