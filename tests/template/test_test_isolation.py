"""A generated project's ``manage.py test`` never touches the cache keys of its running service.

The project's ``.env`` holds ``CACHE_URL=redis://...`` (as in development); the "service" (the
project's own code, in other processes, on its own database) logs a real user in, so its account,
permission set and token checks are cached in Redis. Then the project's tests run against the same
Redis: an admin with the same primary key is created, logs in, is deactivated (which revokes its
tokens) and a value is cached under a name the service uses. The service's keys must be exactly as
before, its user still a regular user with a valid token, and the tests' keys elsewhere and gone.
"""

import json
import secrets
import subprocess

import pytest
import redis

from tests.passes import sqlite_run_only
from tests.template.support import BIN, PROJECT_PYTEST_ARGS, PYTHON, project_env, run

pytestmark = [pytest.mark.slow, pytest.mark.redis, sqlite_run_only]

SERVICE_LOGIN = """
import json
from django.core.cache import cache
from django.test import Client
from cachesvc.accounts.models import Role, User

user = User.objects.create_user("real", password="real-password-0123", role=Role.REGULAR)
assert user.pk == 1
client = Client(HTTP_HOST="localhost")
token = client.post(
    "/api/auth/token", {"username": "real", "password": "real-password-0123"}, content_type="application/json"
).json()["data"]["access"]
me = client.get("/api/v1/users/me", HTTP_AUTHORIZATION=f"Bearer {token}")
assert me.status_code == 200, me.content
cache.set("greeting", "from the service", None)
print(json.dumps({"token": token, "prefix": cache.key_prefix}))
"""

SERVICE_CHECK = """
import json
from django.core.cache import cache
from django.test import Client

me = Client(HTTP_HOST="localhost").get("/api/v1/users/me", HTTP_AUTHORIZATION="Bearer %(token)s")
print(json.dumps({"status": me.status_code, "body": me.json(), "greeting": cache.get("greeting")}))
"""

TESTS = """
import json
import os
import subprocess
import sys

import redis
from django.conf import settings
from django.core.cache import cache

from cachesvc.accounts.models import Role

PREFIX_OF_A_CHILD = (
    "import django; django.setup(); from django.core.cache import cache; print(cache.key_prefix)"
)


def run_keys():
    client = redis.Redis.from_url(os.environ["ISOLATION_REDIS_URL"])
    return client.keys(cache.key_prefix.replace("*", "[*]") + ":*")


def test_a_suite_writes_what_a_service_reads(api_client, make_user, tmp_path):
    admin = make_user("boss", password="boss-password-0123", role=Role.ADMIN)
    assert admin.pk == 1  # the primary key of the service's real user
    tokens = api_client.post("/api/auth/token", {"username": "boss", "password": "boss-password-0123"})
    access = tokens.data["access"]
    assert api_client.get("/api/v1/users/me", HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 200
    admin.is_active = False
    admin.save()  # revokes every token of user 1
    cache.set("greeting", "from the tests", None)
    assert run_keys()  # the tests' keys are in the same Redis...
    child = subprocess.run(
        [sys.executable, "-c", PREFIX_OF_A_CHILD], capture_output=True, text=True, check=True
    )
    with open(os.environ["ISOLATION_OUT"], "w") as out:
        json.dump({"prefix": cache.key_prefix, "child_prefix": child.stdout.strip()}, out)


def test_the_next_test_starts_with_no_key():
    assert run_keys() == []
    assert cache.get("greeting") is None
"""


@pytest.fixture
def project(tmp_path, redis_url):
    """``cachesvc`` with ``CACHE_URL`` in its ``.env``, a service prefix of this test's own, migrated."""
    root = tmp_path / "cachesvc"
    run([BIN / "kit-startproject", "cachesvc", "--directory", root], cwd=tmp_path)
    service_name = f"cachesvc-{secrets.token_hex(4)}"
    (root / ".env").write_text(f"CACHE_URL={redis_url}\nSERVICE_NAME={service_name}\n")
    (root / "tests" / "test_isolation.py").write_text(TESTS)
    run([PYTHON, "manage.py", "migrate", "--noinput"], cwd=root)
    yield root
    client = redis.Redis.from_url(redis_url)
    for pattern in (f"{service_name}:*", f"*:{service_name}:*"):
        for key in client.scan_iter(match=pattern):
            client.unlink(key)


def service(project, script):
    """Run ``script`` with the project's settings (its .env), as the running service would."""
    result = run([PYTHON, "manage.py", "shell", "--no-imports", "-c", script], cwd=project)
    return json.loads(result.stdout.strip().splitlines()[-1])


def snapshot(client, prefix):
    """Every key under ``prefix`` and its serialized value."""
    return {key: client.dump(key) for key in client.scan_iter(match=f"{prefix}:*")}


def test_a_test_run_shares_no_key_with_the_running_service(project, redis_url, tmp_path):
    client = redis.Redis.from_url(redis_url)
    login = service(project, SERVICE_LOGIN)
    before = snapshot(client, login["prefix"])
    assert any(b":kit:perms:" in key for key in before)
    assert any(b":kit:account:1" in key for key in before)

    out = tmp_path / "isolation.json"
    result = subprocess.run(
        [PYTHON, "manage.py", "test", *PROJECT_PYTEST_ARGS, "tests/test_isolation.py"],
        cwd=project,
        env=project_env({"ISOLATION_OUT": str(out), "ISOLATION_REDIS_URL": redis_url}),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    assert snapshot(client, login["prefix"]) == before  # not a key written, changed or deleted
    seen = json.loads(out.read_text())
    assert seen["prefix"].startswith("test-")
    assert seen["prefix"].endswith(f":{login['prefix']}")
    assert seen["child_prefix"] == seen["prefix"]  # processes the tests start share their keys
    assert list(client.scan_iter(match=f"{seen['prefix']}:*")) == []  # the run's keys are gone

    check = service(project, SERVICE_CHECK % {"token": login["token"]})
    assert check["status"] == 200  # the real user's token is not revoked
    assert check["body"]["data"]["role"] == "regular"
    assert check["greeting"] == "from the service"
