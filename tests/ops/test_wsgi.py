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
