"""scripts/demo prepares a demo service (idempotently) and serves it with a working admin login."""

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.ops.processes import free_port
from tests.passes import sqlite_run_only
from tests.template.support import REPO, get, project_env, wait_for_http

pytestmark = [pytest.mark.slow, sqlite_run_only]

DEMO = REPO / "scripts" / "demo"
VENV = {"KIT_VENV": str(Path(sys.executable).parent.parent)}


def demo(*args):
    result = subprocess.run(
        [DEMO, "--no-install", *map(str, args)],
        env=project_env(VENV),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def admin_password(output):
    (password,) = set(re.findall(r"username admin, password (\S+)\)", output))
    return password


def test_the_demo_is_prepared_once_and_reused(tmp_path):
    first = demo("--no-serve", "--dir", tmp_path / "demo")
    second = demo("--no-serve", "--dir", tmp_path / "demo")

    assert "generating the demo service" in first
    assert "Created the admin account 'admin'" in first
    assert "Created the sample account 'alice'" in first
    assert (tmp_path / "demo" / "db.sqlite3").is_file()
    assert "reusing the demo service" in second
    assert "No migrations to apply" in second
    assert "Created" not in second
    assert admin_password(first) == admin_password(second)


def test_the_demo_serves_the_admin_and_the_api(tmp_path):
    directory = tmp_path / "demo"
    password = admin_password(demo("--no-serve", "--dir", directory))
    port = free_port()
    server = subprocess.Popen(
        [DEMO, "--no-install", "--dir", directory, "--port", str(port)],
        env=project_env(VENV),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # the script execs runserver, whose autoreloader forks a child
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/health", server, timeout=60)
        assert get(f"{base}/health") == (200, '"healthy"')
        assert get(f"{base}/api/docs")[0] == 200
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        login_page = browser.open(f"{base}/admin/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
        form = {"username": "admin", "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
        admin_page = browser.open(f"{base}/admin/login/", urllib.parse.urlencode(form).encode())

        assert admin_page.url == f"{base}/admin/"
        assert "Site administration" in admin_page.read().decode()
        users = browser.open(f"{base}/api/v1/users").read().decode()  # the admin's session
        assert all(name in users for name in ("admin", "alice", "bob", "carol"))

        credentials = json.dumps({"username": "admin", "password": password}).encode()
        request = urllib.request.Request(
            f"{base}/api/auth/token", credentials, {"Content-Type": "application/json"}
        )
        token = json.loads(urllib.request.urlopen(request).read())["data"]["access"]
        status, body = get(f"{base}/api/v1/users?role=admin", {"Authorization": f"Bearer {token}"})
        assert status == 200
        assert [user["username"] for user in json.loads(body)["data"]] == ["admin", "carol"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
