"""``kit.wsgi``: Django's application with the startup heap frozen (no stalls from full GC scans)."""

import json
import os
import subprocess
import sys

SCRIPT = """
import gc, io, json, sys
from kit.wsgi import get_wsgi_application
application = get_wsgi_application()
frozen = gc.get_freeze_count()
environ = {
    "REQUEST_METHOD": "GET", "PATH_INFO": "/health/live", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
    "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
    "wsgi.errors": sys.stderr,
}
statuses = []
body = b"".join(application(environ, lambda status, headers, *_: statuses.append(status)))
print(json.dumps({"frozen": frozen, "status": statuses[0]}))
"""


def test_the_application_serves_with_its_startup_objects_frozen():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.project.settings",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"].startswith("200")
    assert answer["frozen"] > 10_000  # modules, URL patterns, settings: out of the collector's sight


def test_a_worker_loads_redis_py_croniter_and_puremagic_only_when_it_uses_them():
    """Without a Redis cache, Redis tasks or a cron schedule, neither is imported (about 10 MB of
    memory per worker), nor puremagic before a file is sniffed (about 1 MB): not at startup, not by
    a request."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CACHE_URL", "REDIS_URL", "TASKS_BACKEND")
    }
    env.update(DJANGO_SETTINGS_MODULE="tests.project.settings", DATABASE_URL="sqlite:///:memory:")
    script = SCRIPT.replace(
        '"status": statuses[0]',
        '"status": statuses[0], '
        '"loaded": [m for m in ("redis", "croniter", "puremagic") if m in sys.modules]',
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"].startswith("200")
    assert answer["loaded"] == []


SERVICE_SETTINGS = """
from kit.conf.base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "service_urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
"""

SERVICE_URLS = """
from django.contrib.auth.models import Group
from django.urls import path
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.response import Response

from kit.views import ListModelView


class Groups(ListModelView):
    model = Group
    ordering = ("id",)
    authentication_classes = ()
    permission_classes = ()


@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def ping(request):
    return Response({"status": "ok"})


urlpatterns = [path("groups", Groups.as_view()), path("ping", ping)]
"""


def test_a_worker_loads_drf_spectacular_and_simplejwt_only_when_it_uses_them(tmp_path):
    """A service on ``kit.conf.base`` whose requests need no schema and no JWT (a public list and a
    function view) imports neither drf-spectacular nor simplejwt and PyJWT, nor the django.test
    (unittest, Jinja2, xml...) they load, although DRF makes its default classes early
    (``kit.deferred``): about 5 MB of memory per worker."""
    (tmp_path / "service_settings.py").write_text(SERVICE_SETTINGS)
    (tmp_path / "service_urls.py").write_text(SERVICE_URLS)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "service_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])),
    }
    env.pop("DATABASE_URL", None)
    heavy = ("drf_spectacular.openapi", "rest_framework_simplejwt", "jwt", "django.test")
    script = f"""
import io, json, sys
from kit.wsgi import get_wsgi_application
application = get_wsgi_application()
from django.contrib.auth.models import Group
from django.db import connection
with connection.schema_editor() as editor:
    editor.create_model(Group)
statuses = []
for path in ("/groups", "/ping"):
    environ = {{
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }}
    b"".join(application(environ, lambda status, headers, *_: statuses.append(status)))
print(json.dumps({{"statuses": statuses, "loaded": [m for m in {heavy!r} if m in sys.modules]}}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert [status[:3] for status in answer["statuses"]] == ["200", "200"]
    assert answer["loaded"] == []
