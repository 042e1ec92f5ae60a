"""Settings of the benchmark server: the kit's base settings, persistent connections, long tokens.

- ``BENCH_DATABASE_URL``: the database (``bench/run.py`` creates and fills it; SQLite by default);
- ``BENCH_CACHE_URL``: the shared cache holding permission sets and the token denylist (the
  production setup: Redis; ``locmemcache://`` when no Redis is at hand).

Every case is served by the same process with the same middleware (request id, access log at INFO
to a discarded stream, ...), so the cases differ only in the code that serves the request.
"""

import os
from datetime import timedelta

import environ

from kit.conf.base import *  # noqa: F403
from kit.conf.fields import CacheURL

_env = environ.Env()
DEBUG = False
SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "tests.example.apps.ExampleConfig"]  # noqa: F405
DATABASES = {"default": _env.db_url_config(os.environ.get("BENCH_DATABASE_URL", "sqlite:///bench.sqlite3"))}
DATABASES["default"]["CONN_MAX_AGE"] = None
CACHES = {"default": CacheURL().parse(os.environ.get("BENCH_CACHE_URL", "locmemcache://"))}  # as CACHE_URL
SIMPLE_JWT = {**SIMPLE_JWT, "ACCESS_TOKEN_LIFETIME": timedelta(hours=2)}  # noqa: F405
KIT = {"PAGE_SIZE": 20, "MAX_PAGE_SIZE": 1000}
# The kit's logging (text lines with request ids, secrets masked) with the access log on, written
# to the null device: formatting and writing a line per request is part of the work measured.
LOGGING = build_logging(level="INFO")  # noqa: F405
LOGGING["handlers"]["console"]["stream"] = open(os.devnull, "w")  # noqa: SIM115
