"""Settings of the kit's own test project (used by the root manage.py and the test suite)."""

from pathlib import Path

import environ

from kit.conf.base import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent
ROOT_URLCONF = "tests.project.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "tests.example.apps.ExampleConfig"]  # noqa: F405

_env = environ.Env()
DEBUG = _env.bool("DEBUG", default=False)
SECRET_KEY = _env.str("SECRET_KEY", default="test-only-secret-key-not-for-production-0123456789")
DATABASES = {"default": _env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}

if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    import pymysql

    pymysql.install_as_MySQLdb()
