"""Settings of the kit's own test project (used by the root manage.py and the test suite)."""

from pathlib import Path

import environ

from kit.conf.base import *  # noqa: F403
from kit.conf.tasks import task_settings

BASE_DIR = Path(__file__).resolve().parent
ROOT_URLCONF = "tests.project.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "tests.example.apps.ExampleConfig"]  # noqa: F405

_env = environ.Env()
DEBUG = _env.bool("DEBUG", default=False)
SECRET_KEY = _env.str("SECRET_KEY", default="test-only-secret-key-not-for-production-0123456789")
DATABASES = {"default": _env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: worker processes started by the tests share the test database.
    DATABASES["default"].setdefault("TEST", {"NAME": str(BASE_DIR / "test_db.sqlite3")})

globals().update(
    task_settings(
        _env.str("TASKS_BACKEND", default="inprocess"),
        redis_url=_env.str("REDIS_URL", default=None),
        queues=_env.list("TASK_QUEUES", default=["default"]),
    )
)

if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    import pymysql

    pymysql.install_as_MySQLdb()
