"""A cache outage is logged once: one warning (with its traceback) when the cache first fails,
one line when it is back, nothing for each failed call in between.

django-redis logs every error it ignores (``DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS``) with a full
traceback on ``DJANGO_REDIS_LOGGER`` (``kit.cache``): a traceback per cache call while Redis is
down. :class:`IgnoredErrorFilter`, installed on that logger when the kit app is ready, turns the
first into this module's warning and drops the others. The outage ends when a read through
:mod:`kit.cache.strict` (every authenticated request makes one) or a throttle succeeds again.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("kit.cache")

#: Whether this process is in a cache outage (its warning logged).
_state = {"failing": False}


def report_failure(alias: str, error: BaseException) -> None:
    """Log the failure when it starts an outage."""
    if not _state["failing"]:
        _state["failing"] = True
        logger.warning(
            "Cache %r unreachable (%s: %s): security reads ask the database, other reads are misses, "
            "until it is back.",
            alias,
            type(error).__name__,
            error,
            exc_info=error,
        )


def report_recovery(alias: str) -> None:
    """Log the end of an outage (a call to the cache succeeded)."""
    if _state["failing"]:
        _state["failing"] = False
        logger.warning("Cache %r reachable again.", alias)


class IgnoredErrorFilter(logging.Filter):
    """django-redis's "Exception ignored" records: the first of an outage becomes its warning, the
    others are dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != "Exception ignored":
            return True
        if record.exc_info and record.exc_info[1] is not None and not _state["failing"]:
            error = record.exc_info[1]
            report_failure("django-redis", error.__cause__ or error)
        return False


def install() -> None:
    """Filter django-redis's logger (the kit app's ``ready``)."""
    from django.conf import settings

    name = getattr(settings, "DJANGO_REDIS_LOGGER", "django_redis.cache")
    if not any(isinstance(existing, IgnoredErrorFilter) for existing in logging.getLogger(name).filters):
        logging.getLogger(name).addFilter(IgnoredErrorFilter())
