"""Login throttling through a real server (``manage.py serve``, gunicorn, sockets).

A client that rotates ``X-Forwarded-For`` is still one address unless ``NUM_PROXIES`` says a proxy
of ours writes that header; the admin's login is throttled per address and per account.
"""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.ops.processes import (
    free_port,
    http_get,
    manage,
    process_env,
    start_manage,
    stop,
    wait_until_serving,
)
from tests.passes import sqlite_run_only

pytestmark = [pytest.mark.slow, sqlite_run_only]

RATE = 5
CREATE_USERS = """
from django.contrib.auth import get_user_model
User = get_user_model()
User.objects.create_superuser("root", password="root-password-0123")
"""


@pytest.fixture(scope="module", autouse=True)
def once_per_suite():
    """These processes use their own SQLite files: run them in the SQLite pass of the suite only."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("process tests run in the SQLite pass")


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("throttle") / "db.sqlite3"
    url = f"sqlite:///{path}"
    for step in (("migrate", "--no-input"), ("shell", "--no-imports", "-c", CREATE_USERS)):
        result = manage(*step, env=process_env(DATABASE_URL=url), timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
    return url


@pytest.fixture
def serve(tmp_path, database_url):
    """Start a server (one worker, so its local-memory cache holds every counter) with ``NUM_PROXIES``."""
    processes = []

    def start(num_proxies=None):
        port = free_port()
        log = tmp_path / f"serve-{port}.log"
        env = process_env(
            DATABASE_URL=database_url,
            CACHE_URL="locmemcache://",
            AUTH_THROTTLE_RATE=f"{RATE}/minute",
            NUM_PROXIES=num_proxies,
            CSRF_COOKIE_SECURE="false",  # plain HTTP here: the browser must send its cookies back
            SESSION_COOKIE_SECURE="false",
        )
        process = start_manage("serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", env=env, log=log)
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(f"{base}/health/live", process, log)
        return base

    yield start
    for process in processes:
        stop(process)


def api_login(base, username, password="guess", forwarded_for=None):
    """POST /api/auth/token; the status."""
    headers = {"Content-Type": "application/json"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    body = f'{{"username": "{username}", "password": "{password}"}}'.encode()
    request = urllib.request.Request(f"{base}/api/auth/token", body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def admin_login(base, username, password, forwarded_for):
    """A browser logs in to the admin; (logged in, page)."""
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = browser.open(f"{base}/admin/login/", timeout=10).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": csrf, "username": username, "password": password, "next": "/admin/"}
    request = urllib.request.Request(
        f"{base}/admin/login/?next=/admin/",
        urllib.parse.urlencode(form).encode(),
        {"X-Forwarded-For": forwarded_for, "Referer": f"{base}/admin/login/"},
    )
    page = browser.open(request, timeout=10).read().decode()
    return any(cookie.name == "sessionid" for cookie in jar), page


def test_rotating_forwarded_for_from_one_client_is_throttled(serve):
    base = serve()
    statuses = [api_login(base, f"user{n}", forwarded_for=f"203.0.113.{n}") for n in range(100)]
    assert statuses[:RATE] == [401] * RATE
    assert set(statuses[RATE:]) == {429}


def test_behind_a_trusted_proxy_each_forwarded_address_has_its_budget(serve):
    base = serve(num_proxies="1")
    statuses = [api_login(base, f"user{n}", forwarded_for=f"203.0.113.{n}") for n in range(3 * RATE)]
    assert set(statuses) == {401}
    assert http_get(f"{base}/health/live")[0] == 200


def test_the_right_password_logs_in_to_the_admin_when_not_throttled(serve):
    base = serve()
    assert admin_login(base, "root", "root-password-0123", forwarded_for="198.51.100.1")[0] is True


def test_the_admin_login_is_throttled_per_address(serve):
    base = serve()
    for n in range(RATE):
        assert admin_login(base, f"guess{n}", "wrong", forwarded_for=f"198.51.100.{n}")[0] is False
    logged_in, page = admin_login(base, "root", "root-password-0123", forwarded_for="198.51.100.99")
    assert logged_in is False
    assert "Too many login attempts" in page


def test_the_admin_login_is_throttled_per_account_behind_a_trusted_proxy(serve):
    base = serve(num_proxies="1")
    for n in range(RATE):
        assert admin_login(base, "root", "wrong", forwarded_for=f"198.51.100.{n}")[0] is False
    logged_in, page = admin_login(base, "root", "root-password-0123", forwarded_for="198.51.100.99")
    assert logged_in is False
    assert "Too many login attempts" in page
    assert admin_login(base, "root", "root-password-0123", forwarded_for="198.51.100.98")[0] is False
