"""Storage failures as problems: object storage that is down answers 503 ``service_unavailable``.

:func:`storage_errors` wraps every call to a storage made while serving a request. A storage that
cannot be reached (connection refused or reset, timeouts, an S3 server error, a full or read-only
disk) raises :class:`StorageUnavailable`; anything else (wrong credentials, a missing bucket) is a
misconfiguration and stays a logged 500.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from kit.errors.exceptions import Problem
from kit.request_id import get_request_id

logger = logging.getLogger("kit.files")

#: OS errors of a local disk (or network mount) that cannot take files now.
UNAVAILABLE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.ETIMEDOUT})


class StorageUnavailable(Problem):
    """503 ``service_unavailable``: the file storage cannot be used now."""

    def __init__(self) -> None:
        super().__init__(503, "service_unavailable", "The file storage is unavailable; try again later.")


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn an unreachable storage into :class:`StorageUnavailable` (logged once per request)."""
    try:
        yield
    except StorageUnavailable:
        raise
    except Exception as error:
        if not is_storage_outage(error):
            raise
        logger.error(
            "File storage unavailable (request %s): %s: %s", get_request_id(), type(error).__name__, error
        )
        raise StorageUnavailable() from error


def is_storage_outage(error: BaseException) -> bool:
    """Whether ``error`` means the storage cannot be reached or used now (not a bug, not a setting)."""
    if isinstance(error, OSError) and not isinstance(error, FileNotFoundError | PermissionError):
        return error.errno in UNAVAILABLE_ERRNOS or isinstance(error, ConnectionError | TimeoutError)
    return _is_botocore_outage(error)


def _is_botocore_outage(error: BaseException) -> bool:
    try:
        from botocore import exceptions
    except ImportError:  # no object storage installed
        return False
    if isinstance(error, exceptions.ConnectionError | exceptions.HTTPClientError):
        return True
    if isinstance(error, exceptions.ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return int(status) >= 500
    cause = error.__cause__ or error.__context__
    return cause is not None and cause is not error and _is_botocore_outage(cause)
