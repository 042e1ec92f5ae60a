"""A rights change made by one process is seen by a running server process at its next request.

Real processes: a ``runserver`` serving the test project, and ``manage.py shell`` processes that
create the user and grant or revoke the right. They share the database (a SQLite file, or the test
database on PostgreSQL/MariaDB) and the cache (Redis): nothing is kept per process.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from tests.ops.processes import free_port
from tests.passes import sqlite_run_only

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.redis, sqlite_run_only]


def database_url(tmp_path):
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    scheme = {"postgresql": "postgres", "mysql": "mysql"}[connection.vendor]
    credentials = quote(settings["USER"] or "")
    if settings["PASSWORD"]:
        credentials += f":{quote(settings['PASSWORD'])}"
    return f"{scheme}://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT']}/{settings['NAME']}"


@pytest.fixture
def environment(tmp_path, redis_url, transactional_db):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.project.settings",
        "DATABASE_URL": database_url(tmp_path),
        "CACHE_URL": redis_url,
        "PYTHONPATH": str(ROOT),
    }
    env.pop("TEST_DATABASE_URL", None)
    if connection.vendor == "sqlite":
        manage(env, "migrate", "--verbosity", "0")
    redis.Redis.from_url(redis_url).flushdb()
    return env


def manage(env, *arguments):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def shell(env, code):
    return manage(env, "shell", "-c", code)


@pytest.fixture
def server(environment):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/schema/", timeout=2)
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"runserver did not start: {process.communicate()[1]}")
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


def request(method, url, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, data, headers, method=method), timeout=10
        ) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


CREATE_USERS = """
from django.contrib.auth import get_user_model
get_user_model().objects.create_user("alice", password="pw-for-alice-123")
get_user_model().objects.create_user("bob", password="pw-for-bob-1234")
"""

GRANT = """
from django.contrib.auth import get_user_model
from kit.models import Right
Right.objects.create(user=get_user_model().objects.get(username="alice"), resource="items", operation="read")
"""

REVOKE_AND_CHANGE_PASSWORD = """
from django.contrib.auth import get_user_model
from kit.models import Right
for right in Right.objects.all():
    right.delete()
bob = get_user_model().objects.get(username="bob")
bob.set_password("a-new-password-5678")
bob.save()
"""


def login(server, username, password):
    status, body = request("POST", f"{server}/api/auth/token", {"username": username, "password": password})
    assert status == 200
    return (body.get("data") or body)["access"]


def test_changes_made_elsewhere_are_seen_at_once(environment, server):
    shell(environment, CREATE_USERS)
    alice, bob = login(server, "alice", "pw-for-alice-123"), login(server, "bob", "pw-for-bob-1234")
    assert request("GET", f"{server}/api/v1/items", token=alice)[0] == 403  # now cached: no right
    assert request("GET", f"{server}/api/v1/items", token=alice)[0] == 403
    assert request("POST", f"{server}/api/auth/token/verify", {"token": bob})[0] == 200

    shell(environment, GRANT)
    assert request("GET", f"{server}/api/v1/items", token=alice)[0] == 200

    shell(environment, REVOKE_AND_CHANGE_PASSWORD)
    assert request("GET", f"{server}/api/v1/items", token=alice)[0] == 403
    assert request("POST", f"{server}/api/auth/token/verify", {"token": bob})[0] == 401
