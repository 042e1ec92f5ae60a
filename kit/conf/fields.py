"""Typed fields of a settings schema: each parses one environment variable into a setting.

A field parses the raw string (``parse``), raising ``ValueError`` with a short reason on bad input,
and writes the value into the settings namespace (``apply``). ``setting`` names the target: a
top-level setting (``"PORT"``) or a key inside a dict setting (``"KIT.PAGE_SIZE"``).
"""

from __future__ import annotations

import importlib.util
import pathlib
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

import django
import environ

Settings = dict[str, Any]

MISSING: Any = object()
MASK = "*****"
COMPUTED = "(computed)"
TRUE_WORDS = frozenset({"1", "true", "yes", "on", "y", "t"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "n", "f", ""})


class Field:
    """One environment variable: its type, default, and where its value goes."""

    type_name = "string"

    def __init__(
        self,
        *,
        default: Any = MISSING,
        required: bool = False,
        secret: bool = False,
        help: str = "",
        setting: str | None = None,
        doc: str = "",
        default_doc: str = "",
    ) -> None:
        self.default = default
        self.required = required
        self.secret = secret
        self.help = help
        self.setting = setting
        self.doc = doc or help  # Markdown, for docs/settings.md; help is the line of .env.example
        self.default_doc = default_doc  # the default in words, where the value cannot say it
        self.shown_default: Any = MISSING  # the value the setting keeps when unset (a KIT default)
        self.name = ""  # set by the schema: the variable name without prefix

    def parse(self, raw: str) -> Any:
        return raw

    def default_for(self, settings: Settings) -> Any:
        """The default value; a callable default is called with the settings built so far."""
        return self.default(settings) if callable(self.default) else self.default

    def apply(self, settings: Settings, target: str, value: Any) -> None:
        """Write ``value`` to ``target`` (``NAME`` or ``DICT.KEY``) in ``settings``."""
        head, _, key = target.partition(".")
        if key:
            settings[head] = {**(settings.get(head) or {}), key: value}
        else:
            settings[head] = value

    def is_set(self, settings: Settings, target: str) -> bool:
        """Whether settings.py already gives ``target`` a value (it then outranks our default)."""
        head, _, key = target.partition(".")
        if key:
            return key in (settings.get(head) or {})
        return head in settings

    def display(self, raw: str) -> str:
        """How a raw value may appear in messages: secrets never do."""
        return MASK if self.secret else repr(raw)

    def secret_parts(self, raw: str) -> list[str]:
        """The parts of a raw value that must be masked wherever they could appear."""
        return [raw] if self.secret and raw else []

    def describe_default(self) -> str:
        """The default as the variable would be written ('' when there is none)."""
        default = self.shown_default if self.default is MISSING else self.default
        if default is MISSING or default is None:
            return ""
        if callable(default):
            return COMPUTED
        if self.secret:
            return MASK
        return self.format(default)

    def format(self, value: Any) -> str:
        return str(value)


class Str(Field):
    def __init__(self, *, min_length: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.min_length = min_length

    def parse(self, raw: str) -> str:
        if len(raw) < self.min_length:
            raise ValueError(f"must be at least {self.min_length} characters long")
        return raw


class Rate(Field):
    """A DRF throttle rate, ``<count>/<second|minute|hour|day>``; ``off`` (or ``none``) gives None."""

    type_name = "rate"
    OFF_WORDS = frozenset({"off", "none"})

    def parse(self, raw: str) -> str | None:
        if raw.strip().lower() in self.OFF_WORDS:
            return None
        if not re.fullmatch(r"\d+/(s|m|h|d)[a-z]*", raw.strip()):
            raise ValueError("must be a rate like 20/minute (count/second|minute|hour|day), or off")
        return raw.strip()


class Int(Field):
    type_name = "integer"

    def __init__(self, *, min_value: int | None = None, max_value: int | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.min_value = min_value
        self.max_value = max_value

    def parse(self, raw: str) -> int:
        try:
            value = int(raw.strip().replace("_", ""))
        except ValueError:
            raise ValueError("is not an integer") from None
        if self.min_value is not None and value < self.min_value:
            raise ValueError(f"must be >= {self.min_value}")
        if self.max_value is not None and value > self.max_value:
            raise ValueError(f"must be <= {self.max_value}")
        return value


class Float(Field):
    type_name = "number"

    def __init__(self, *, min_value: float | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.min_value = min_value

    def parse(self, raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise ValueError("is not a number") from None
        if self.min_value is not None and not value >= self.min_value:  # NaN fails too
            raise ValueError(f"must be >= {self.min_value:g}")
        return value


class Bool(Field):
    type_name = "boolean"

    def parse(self, raw: str) -> bool:
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError("is not a boolean (use true/false, yes/no, on/off or 1/0)")

    def format(self, value: Any) -> str:
        return "true" if value else "false"


class List(Field):
    """Comma-separated values, each parsed by ``item`` (a field; strings by default)."""

    type_name = "list"

    def __init__(self, *, item: Field | None = None, separator: str = ",", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item = item or Str()
        self.separator = separator

    def parse(self, raw: str) -> list[Any]:
        parts = [part.strip() for part in raw.split(self.separator)]
        return [self.item.parse(part) for part in parts if part]

    def display(self, raw: str) -> str:
        if self.secret:
            return MASK
        for secret in self.secret_parts(raw):
            raw = raw.replace(secret, MASK)
        return repr(raw)

    def secret_parts(self, raw: str) -> list[str]:
        """The list's own secret, and those of its items (passwords in a list of URLs)."""
        own = super().secret_parts(raw)
        return own + [secret for part in raw.split(self.separator) for secret in self.item.secret_parts(part)]

    def format(self, value: Any) -> str:
        return self.separator.join(str(item) for item in value)


class Choice(Field):
    type_name = "choice"

    def __init__(self, choices: Sequence[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = tuple(choices)

    def parse(self, raw: str) -> str:
        value = raw.strip().lower()
        if value not in self.choices:
            raise ValueError(f"must be one of: {', '.join(self.choices)}")
        return value

    def format(self, value: Any) -> str:
        text = str(value)
        return text.lower() if text.lower() in self.choices else text


class Path(Field):
    type_name = "path"

    def parse(self, raw: str) -> pathlib.Path:
        if not raw.strip():
            raise ValueError("is empty")
        return pathlib.Path(raw).expanduser()


class URL(Field):
    """An absolute URL; ``schemes`` limits the accepted schemes."""

    type_name = "url"

    def __init__(self, *, schemes: Sequence[str] | None = None, examples: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schemes = tuple(schemes) if schemes else None
        self.examples = examples or (", ".join(f"{scheme}://" for scheme in self.schemes or ()))

    def display(self, raw: str) -> str:
        password = _password(raw)
        return repr(raw.replace(password, MASK) if password else raw)

    def secret_parts(self, raw: str) -> list[str]:
        password = _password(raw)
        return [password, unquote(password)] if password else []

    def parse(self, raw: str) -> Any:
        return self.validate(raw)

    def validate(self, raw: str) -> str:
        """Check that ``raw`` is an absolute URL with an accepted scheme and a valid port."""
        parts = urlsplit(raw.strip())
        if not parts.scheme or "://" not in raw:
            raise ValueError("is not a URL (scheme://...)")
        if self.schemes and parts.scheme not in self.schemes:
            raise ValueError(f"has an unsupported scheme {parts.scheme!r} (use {self.examples})")
        try:
            parts.port  # noqa: B018  (validates the port)
        except ValueError:
            raise ValueError("has an invalid port") from None
        return raw.strip()


DATABASE_EXAMPLES = "postgres://, mysql:// or sqlite:///path"
DATABASE_CONNECT_TIMEOUT = 5
"""Seconds a new PostgreSQL or MySQL connection may take (``?connect_timeout=`` in the URL overrides
it): a server that accepts TCP connections but does not answer (paused, overloaded) fails the request
with a 503 instead of holding it until the web server's worker timeout."""
# Engine -> (driver modules, any of which will do; the kit's extra that installs one).
DATABASE_DRIVERS = {
    "postgresql": (("psycopg", "psycopg2"), "postgres"),
    "postgis": (("psycopg", "psycopg2"), "postgres"),
    "mysql": (("MySQLdb", "pymysql"), "mysql"),
}


class DatabaseURL(URL):
    """``DATABASE_URL``: parsed by django-environ into ``DATABASES[alias]``.

    ``conn_max_age`` and health checks keep connections open between requests; PostgreSQL and MySQL
    connections get ``connect_timeout`` (:data:`DATABASE_CONNECT_TIMEOUT`) unless the URL sets it.
    """

    type_name = "database url"

    def __init__(self, *, alias: str = "default", **kwargs: Any) -> None:
        kwargs.setdefault("setting", "DATABASES")
        super().__init__(schemes=sorted(environ.Env.DB_SCHEMES), examples=DATABASE_EXAMPLES, **kwargs)
        self.alias = alias

    def parse(self, raw: str) -> dict[str, Any]:
        config: dict[str, Any] = environ.Env.db_url_config(self.validate(raw))
        _require_driver(config["ENGINE"])
        if config["ENGINE"] == "django.db.backends.mysql":
            _use_pymysql_when_needed()
            config.setdefault("OPTIONS", {}).setdefault("charset", "utf8mb4")
        if config["ENGINE"] in ("django.db.backends.postgresql", "django.db.backends.mysql"):
            config.setdefault("OPTIONS", {}).setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        return config

    def is_set(self, settings: Settings, target: str) -> bool:
        return self.alias in (settings.get(target) or {})

    def apply(self, settings: Settings, target: str, value: Any) -> None:
        databases = dict(settings.get(target) or {})
        databases[self.alias] = value
        settings[target] = databases


class TestDatabaseURL(URL):
    """``TEST_DATABASE_URL``: the database tests run against (its name goes to ``TEST.NAME``)."""

    type_name = "database url"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("setting", "DATABASES")
        super().__init__(schemes=sorted(environ.Env.DB_SCHEMES), examples=DATABASE_EXAMPLES, **kwargs)

    def parse(self, raw: str) -> dict[str, Any]:
        config: dict[str, Any] = environ.Env.db_url_config(self.validate(raw))
        return config

    def is_set(self, settings: Settings, target: str) -> bool:
        return "TEST" in (settings.get(target) or {}).get("default", {})

    def apply(self, settings: Settings, target: str, value: Any) -> None:
        default = dict(settings[target]["default"])
        default["TEST"] = {**default.get("TEST", {}), "NAME": value["NAME"], "URL_CONFIG": value}
        settings[target] = {**settings[target], "default": default}


REDIS_CACHE_BACKEND = "django_redis.cache.RedisCache"
NEAR_CACHE_CLIENT = "kit.cache.redis_client.NearCacheClient"
#: Seconds a Redis cache waits to connect, and for each answer, unless CACHE_URL says otherwise.
REDIS_SOCKET_TIMEOUT = 1.0


class CacheURL(URL):
    """``CACHE_URL``: parsed by django-environ into ``CACHES["default"]`` (redis:// → django-redis,
    with the kit's near cache unless the URL names a ``client_class``, and socket timeouts of
    :data:`REDIS_SOCKET_TIMEOUT` seconds unless it names ``socket_connect_timeout`` and
    ``socket_timeout``: a paused or unreachable Redis then costs about a second, not a hang)."""

    type_name = "cache url"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("setting", "CACHES")
        super().__init__(schemes=sorted(environ.Env.CACHE_SCHEMES), **kwargs)

    def parse(self, raw: str) -> dict[str, Any]:
        config: dict[str, Any] = environ.Env.cache_url_config(self.validate(raw))
        if config["BACKEND"] == REDIS_CACHE_BACKEND:
            config["OPTIONS"] = {
                "CLIENT_CLASS": NEAR_CACHE_CLIENT,
                "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
                **config.get("OPTIONS", {}),
            }
        return config

    def is_set(self, settings: Settings, target: str) -> bool:
        return "default" in (settings.get(target) or {})

    def apply(self, settings: Settings, target: str, value: Any) -> None:
        settings[target] = {**(settings.get(target) or {}), "default": value}


class EmailURL(URL):
    """``EMAIL_URL``: the mail backend; ``MAILERS`` on Django 6.1+, ``EMAIL_*`` settings before."""

    type_name = "email url"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("setting", "MAILERS" if django.VERSION >= (6, 1) else "EMAIL_BACKEND")
        super().__init__(schemes=sorted(environ.Env.EMAIL_SCHEMES), **kwargs)

    def parse(self, raw: str) -> dict[str, Any]:
        config: dict[str, Any] = environ.Env.email_url_config(self.validate(raw))
        return config

    def is_set(self, settings: Settings, target: str) -> bool:
        return target in settings

    def apply(self, settings: Settings, target: str, value: Any) -> None:
        if target != "MAILERS":
            settings.update({key: val for key, val in value.items() if val is not None})
            return
        options = {
            _MAILER_OPTIONS[key]: val
            for key, val in value.items()
            if key in _MAILER_OPTIONS and val not in (None, "")
        }
        settings["MAILERS"] = {"default": {"BACKEND": value["EMAIL_BACKEND"], "OPTIONS": options}}


class StorageURL(URL):
    """``STORAGE_URL``: where uploaded files are kept, into ``STORAGES["default"]``
    (:mod:`kit.files.storage_url`: ``file:///path`` or ``s3://bucket?endpoint=...``)."""

    type_name = "storage url"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("setting", "STORAGES")
        super().__init__(schemes=["file", "s3"], examples="file:///path or s3://bucket", **kwargs)

    def parse(self, raw: str) -> dict[str, Any]:
        from kit.files.storage_url import storage_config

        return storage_config(self.validate(raw))

    def is_set(self, settings: Settings, target: str) -> bool:
        """Whether settings.py gives a default storage of its own (not the base settings' one)."""
        from kit.conf import base

        default = (settings.get(target) or {}).get("default")
        return default is not None and default is not base._DEFAULT_STORAGE

    def apply(self, settings: Settings, target: str, value: Any) -> None:
        settings[target] = {**(settings.get(target) or {}), "default": value}


# django-environ's EMAIL_* keys → the keyword arguments of Django's mail backends (MAILERS OPTIONS).
_MAILER_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_TIMEOUT": "timeout",
    "EMAIL_FILE_PATH": "file_path",
}


def _password(url: str) -> str:
    """The password part of a URL as written (still quoted), or ''."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return ""
    userinfo, at, _ = netloc.rpartition("@")
    return userinfo.partition(":")[2] if at else ""


def _require_driver(engine: str) -> None:
    """Fail with the extra to install when the database's driver is not installed."""
    modules, extra = DATABASE_DRIVERS.get(engine.rpartition(".")[2], ((), ""))
    if modules and not any(importlib.util.find_spec(module) for module in modules):
        raise ValueError(
            f"needs a database driver ({' or '.join(modules)}), not installed: "
            f"pip install 'django-service-kit[{extra}]'"
        )


def _use_pymysql_when_needed() -> None:
    """Use PyMySQL (pure Python) as the MySQL driver when mysqlclient is not installed."""
    try:
        import MySQLdb  # noqa: F401
    except ImportError:
        import pymysql

        pymysql.install_as_MySQLdb()
