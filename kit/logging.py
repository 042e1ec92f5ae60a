"""Logging for a kit service: one line per record, with the request id, secrets masked.

``build_logging()`` returns a ``LOGGING`` dict (Django's ``dictConfig`` format) from a few options:

- ``level``: the root level (``LOG_LEVEL``, default ``INFO``);
- ``format``: ``text`` (``2026-01-01 12:00:00,123 [INFO][<request id>] app.module: message``) or
  ``json`` (one object per line: ``timestamp, level, logger, message, request_id, exception`` and
  any ``extra`` values) (``LOG_FORMAT``);
- ``queue``: hand records to a background thread, so a slow sink never blocks a request
  (``LOG_QUEUE``);
- ``file``: also write to a size-rotated file (``LOG_FILE``, ``LOG_FILE_MAX_BYTES``,
  ``LOG_FILE_BACKUP_COUNT``);
- ``overrides``: a dictConfig fragment deep-merged into the result (``LOGGING_OVERRIDES``).

Every handler masks secret values (those of secret settings and environment variables, passwords in
URLs, ``Authorization`` credentials) before anything is written, and writes Django's reports of
suspicious requests (``django.security.*``: a disallowed ``Host``, ...) as one line, without the
traceback of Django's own code: a client sending them cannot flood the log.
"""

from __future__ import annotations

import copy
import json
import logging
import logging.handlers
import os
import re
import weakref
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from queue import SimpleQueue
from typing import Any

from kit.conf import secrets

TEXT_FORMAT = "%(asctime)s [%(levelname)s][%(request_id)s] %(name)s: %(message)s"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FORMATS = ("text", "json")


def build_logging(
    *,
    level: str = "INFO",
    format: str = "text",
    queue: bool = False,
    file: str | None = None,
    file_max_bytes: int = 10 * 1024 * 1024,
    file_backup_count: int = 5,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A ``LOGGING`` dict for Django: console (stdout), optional rotating file, optional queue."""
    level = level.upper()
    if level not in LEVELS:
        raise ValueError(f"Unknown log level {level!r} (use one of {', '.join(LEVELS)})")
    if format not in FORMATS:
        raise ValueError(f"Unknown log format {format!r} (use text or json)")
    filters = ["request_id", "one_line_security", "mask_secrets"]
    handlers: dict[str, dict[str, Any]] = {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": format,
            "filters": filters,
        },
    }
    if file:
        handlers["file"] = {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": file,
            "maxBytes": file_max_bytes,
            "backupCount": file_backup_count,
            "encoding": "utf-8",
            "delay": True,
            "formatter": format,
            "filters": filters,
        }
    sinks = list(handlers)
    if queue:
        # Named so that it sorts after its targets: dictConfig builds handlers in name order.
        handlers["queue"] = {
            "()": "kit.logging.QueueHandler",
            "handlers": [f"cfg://handlers.{name}" for name in sinks],
            "filters": filters,
        }
        sinks = ["queue"]
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "kit.request_id.RequestIDFilter"},
            "mask_secrets": {"()": "kit.logging.MaskSecretsFilter"},
            "one_line_security": {"()": "kit.logging.OneLineSecurityFilter"},
        },
        "formatters": {
            "text": {"()": "kit.logging.TextFormatter"},
            "json": {"()": "kit.logging.JSONFormatter"},
        },
        "handlers": handlers,
        "root": {"level": level, "handlers": sinks},
        "loggers": {
            # Django's own handlers (console when DEBUG, mail_admins, runserver's) give way to ours.
            "django": {"level": level, "handlers": [], "propagate": True},
            "django.server": {"level": level, "handlers": [], "propagate": True},
            # httpx logs every request at INFO; kit.services logs each upstream call (docs/services.md).
            "httpx": {"level": "WARNING"},
        },
    }
    return deep_merge(config, overrides or {})


def deep_merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``overrides`` merged in: nested dicts are merged, anything else is replaced."""
    merged = copy.deepcopy(dict(base))
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def logging_from_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """``build_logging()`` with the ``KIT`` log options and ``LOGGING_OVERRIDES`` of a settings module."""
    from kit.conf.options import DEFAULTS

    kit = {**DEFAULTS, **(settings.get("KIT") or {})}
    return build_logging(
        level=kit["LOG_LEVEL"],
        format=kit["LOG_FORMAT"],
        queue=kit["LOG_QUEUE"],
        file=kit["LOG_FILE"],
        file_max_bytes=kit["LOG_FILE_MAX_BYTES"],
        file_backup_count=kit["LOG_FILE_BACKUP_COUNT"],
        overrides=settings.get("LOGGING_OVERRIDES") or {},
    )


class TextFormatter(logging.Formatter):
    """``2026-01-01 12:00:00,123 [INFO][<request id>] app.module: message``.

    Control characters in the line are escaped (``\\n``, ``\\x1b``): a value from a request (a path
    with ``%0A``) cannot start a forged line. A traceback follows on its own lines, as written.
    """

    def __init__(self, fmt: str = TEXT_FORMAT, datefmt: str | None = None) -> None:
        super().__init__(fmt, datefmt)

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        return super().format(record)

    def formatMessage(self, record: logging.LogRecord) -> str:
        return escape_control_characters(super().formatMessage(record))


_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape_control_characters(text: str) -> str:
    """``text`` with control characters and line separators written as Python escapes."""
    return _CONTROL_CHARACTERS.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


_STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}


# Characters JSON allows raw in strings that line readers may take for a line end or a terminal code.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029]")


class JSONFormatter(logging.Formatter):
    """One JSON object per line: ``timestamp`` (UTC), ``level``, ``logger``, ``message``,
    ``request_id``, ``exception`` (the formatted traceback, when any) and the record's ``extra``.

    Non-ASCII text is written as is, except DEL, the C1 control characters (U+0085, ...) and the line
    separators, written as JSON escapes: the record stays one line for every line splitter.
    """

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _request_id(record),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            body["exception"] = record.exc_text
        if record.stack_info:
            body["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and key not in body:
                body[key] = value
        text = json.dumps(body, default=str, ensure_ascii=False)
        return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _request_id(record: logging.LogRecord) -> str | None:
    request_id = getattr(record, "request_id", None)
    return None if request_id in (None, "-") else str(request_id)


class MaskSecretsFilter(logging.Filter):
    """Replace secrets in the message and traceback with ``*****`` (never drops a record).

    Masked: the values registered in :mod:`kit.conf.secrets` (secret environment variables,
    passwords in service URLs), Django's secret settings (``SECRET_KEY``, database and mail
    passwords, ``SENTRY_DSN``, ``METRICS_TOKEN``), and credentials after
    ``Authorization``/``X-API-Key``/``Cookie`` or a ``Bearer``/``Basic``/``Token``/``Api-Key`` scheme.
    """

    _formatter = logging.Formatter()

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        for value in _secret_settings():
            secrets.register(value)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


class OneLineSecurityFilter(logging.Filter):
    """Drop the traceback of ``django.security.*`` records (never drops a record).

    Django logs each ``SuspiciousOperation`` (a disallowed ``Host``, too many fields, ...) with the
    traceback of its own request handling: noise any client can trigger, once per request. The
    message names the operation and the offending value; the record's level and logger stay.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.security."):
            record.exc_info = record.exc_text = None
        return True


# A scheme word ending a URL path (``POST /api/auth/token 200``) is not a credential.
_CREDENTIALS = re.compile(r"(?i)(?<![/\w-])(bearer|basic|api-key|token)(\s+)[\w\-.~+/]+=*")
_CREDENTIAL_HEADERS = re.compile(
    r"""(?i)(["']?\b(?:authorization|x-api-key|cookie|http_authorization|http_x_api_key|http_cookie)"""
    r"""["']?\s*[:=]\s*["']?)[^"',}\n]+"""
)


def mask(text: str) -> str:
    """``text`` with secret values and credentials replaced by ``*****``."""
    text = secrets.mask(text)
    text = _CREDENTIAL_HEADERS.sub(lambda match: match.group(1) + secrets.MASK, text)
    return _CREDENTIALS.sub(lambda match: match.group(1) + match.group(2) + secrets.MASK, text)


def _secret_settings() -> list[object]:
    """The values of Django's secret settings; empty ones are left to ``secrets.register`` to drop."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    if not settings.configured:
        return []
    try:
        values: list[object] = [settings.SECRET_KEY]
    except ImproperlyConfigured:  # Django refuses to hand out an empty key (kit.E001 reports it)
        values = []
    values += list(getattr(settings, "SECRET_KEY_FALLBACKS", None) or [])
    values += [config.get("PASSWORD") for config in settings.DATABASES.values()]
    values.append(getattr(settings, "EMAIL_HOST_PASSWORD", None))
    values.append(getattr(settings, "SENTRY_DSN", None))
    values.append((getattr(settings, "KIT", None) or {}).get("METRICS_TOKEN"))
    return values


_queue_handlers: weakref.WeakSet[QueueHandler] = weakref.WeakSet()


class QueueHandler(logging.handlers.QueueHandler):
    """Non-blocking logging: records go to a queue; a thread writes them to ``handlers``.

    The thread is restarted in forked children (gunicorn workers) and drained at exit.
    """

    def __init__(self, handlers: Sequence[logging.Handler]) -> None:
        # dictConfig passes a list whose ``cfg://`` items resolve on indexing, not on iteration.
        self.targets = [handlers[index] for index in range(len(handlers))]
        super().__init__(SimpleQueue())
        self.listener: logging.handlers.QueueListener | None = None
        self.start()
        _queue_handlers.add(self)

    def start(self) -> None:
        """Start the writer thread (again, with a fresh queue, in a forked child)."""
        if self.listener is not None:
            self.queue = SimpleQueue()
        self.listener = logging.handlers.QueueListener(self.queue, *self.targets, respect_handler_level=True)
        self.listener.start()

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        """A copy with the message rendered and the traceback as text (the originals may change)."""
        record = copy.copy(record)
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        return record

    def close(self) -> None:
        listener, self.listener = self.listener, None
        if listener is not None:
            listener.stop()
        super().close()


def _restart_queue_listeners() -> None:
    for handler in list(_queue_handlers):
        if handler.listener is not None:
            handler.start()


os.register_at_fork(after_in_child=_restart_queue_listeners)
