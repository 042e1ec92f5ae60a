"""Settings of the kit's own test project (used by the root manage.py and the test suite)."""

from pathlib import Path

from kit.conf import ServiceSettings
from kit.conf.base import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent
ROOT_URLCONF = "tests.project.urls"
ASGI_APPLICATION = "tests.project.asgi.application"
INSTALLED_APPS = [
    *INSTALLED_APPS,  # noqa: F405
    "tests.example.apps.ExampleConfig",
    "tests.files.app.apps.FilesExampleConfig",
]
MIDDLEWARE = [*MIDDLEWARE, "tests.example.middleware.ProjectMiddleware"]  # noqa: F405

# Tests run with DEBUG off, like production; this key is only for the test project.
SECRET_KEY = "kit-test-project-secret-key-5c1f0b8e2d7a4e6f9b3c1d0e8f7a6b5c"

ServiceSettings().load_from_env(globals())

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: worker processes started by the task tests share the test database.
    DATABASES["default"].setdefault("TEST", {"NAME": str(BASE_DIR / "test_db.sqlite3")})  # noqa: F405
