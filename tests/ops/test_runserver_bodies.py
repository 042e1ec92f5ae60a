"""Django's development server (``manage.py runserver --no-websockets``) cannot decode a chunked body
and hands Django an empty one: the kit answers 411 ``length_required`` instead of running the view
without its body. (gunicorn and uvicorn, under the default runserver, decode them.)"""

import json

import pytest

from tests.ops.processes import free_port, manage, process_env, start_manage, stop, wait_until_serving
from tests.ops.test_protocol_errors import assert_problem, chunked, exchange

pytestmark = pytest.mark.slow

BODY = json.dumps({"name": "x" * 300}).encode()


@pytest.fixture(scope="module")
def runserver(tmp_path_factory):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("process tests run in the SQLite pass")
    folder = tmp_path_factory.mktemp("runserver")
    env = process_env(DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}", DEBUG="true")
    result = manage("migrate", "--no-input", env=env)
    assert result.returncode == 0, result.stderr
    port = free_port()
    log = folder / "runserver.log"
    process = start_manage(
        "runserver", "--noreload", "--no-websockets", f"127.0.0.1:{port}", env=env, log=log
    )
    wait_until_serving(f"http://127.0.0.1:{port}/health/live", process, log)
    yield port
    stop(process)


def post(port: int, framing: bytes, body: bytes):
    head = b"POST /api/test/json-only HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    return exchange(port, head + framing + b"Connection: close\r\n\r\n" + body)


def test_a_chunked_body_is_refused_with_length_required(runserver):
    problem = assert_problem(
        post(runserver, b"Transfer-Encoding: chunked\r\n", chunked(BODY)), 411, "length_required"
    )
    assert (problem["title"], "Content-Length" in problem["detail"]) == ("Length required", True)


def test_a_body_with_its_length_is_read(runserver):
    status, _, body = post(runserver, b"Content-Length: %d\r\n" % len(BODY), BODY)
    assert status == 200, body
    assert json.loads(body)["data"] == {"received": {"name": "x" * 300}}
