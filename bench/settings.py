"""Settings of the benchmark server: the kit's base settings, SQLite, persistent connections.

The database file is ``BENCH_DB`` (``bench/run.py`` creates and fills it). Authentication is off for
every case, so the cases differ only in the framework code that serves the list.
"""

import os

from kit.conf.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "tests.example.apps.ExampleConfig"]  # noqa: F405
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("BENCH_DB", "bench.sqlite3"),
        "CONN_MAX_AGE": 600,
    }
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
}
KIT = {"PAGE_SIZE": 20}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
