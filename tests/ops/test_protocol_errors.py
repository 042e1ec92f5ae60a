"""Errors a client triggers below Django, through a real ``manage.py serve`` (gunicorn, DEBUG off):
every one is a problem, and a chunked body is read, not dropped."""

import json
import socket

import pytest

from tests.ops.processes import free_port, manage, process_env, start_manage, stop, wait_until_serving

pytestmark = pytest.mark.slow

LIMIT = 2048


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("process tests run in the SQLite pass")
    folder = tmp_path_factory.mktemp("protocol")
    env = process_env(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}", DEBUG="false", MAX_REQUEST_BODY_SIZE=str(LIMIT)
    )
    result = manage("migrate", "--no-input", env=env)
    assert result.returncode == 0, result.stderr
    port = free_port()
    log = folder / "serve.log"
    process = start_manage("serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", env=env, log=log)
    wait_until_serving(f"http://127.0.0.1:{port}/health/live", process, log)
    yield port
    stop(process)


def exchange(port: int, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``raw`` (a whole request); the status, headers and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, body = answer.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value for name, value in (line.split(": ", 1) for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def assert_problem(answer, status, code):
    got, headers, body = answer
    assert got == status, body
    assert headers["content-type"] == "application/problem+json"
    problem = json.loads(body)
    assert (problem["status"], problem["code"]) == (status, code)
    assert problem["request_id"] == headers["x-request-id"]
    return problem


def test_an_over_long_uri_is_a_problem(server):
    raw = b"GET /api/v1/" + b"a" * 9000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    assert_problem(exchange(server, raw), 414, "uri_too_long")


def test_a_malformed_header_is_a_problem(server):
    raw = b"GET /api/v1/items HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\x01: x\r\n\r\n"
    assert_problem(exchange(server, raw), 400, "bad_request")


def test_a_disallowed_host_is_a_problem(server):
    raw = b"GET /api/test/validation HTTP/1.1\r\nHost: evil.example.com\r\nConnection: close\r\n\r\n"
    problem = assert_problem(exchange(server, raw), 400, "bad_request")
    assert problem["instance"] == "/api/test/validation"


def chunked(body: bytes, size: int = 100) -> bytes:
    parts = [body[start : start + size] for start in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"


def post_chunked(port: int, body: bytes):
    head = (
        b"POST /api/test/json-only HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    return exchange(port, head + chunked(body))


def test_a_chunked_body_is_read(server):
    status, _, body = post_chunked(server, json.dumps({"name": "x" * 500}).encode())
    assert status == 200, body
    assert json.loads(body)["data"] == {"received": {"name": "x" * 500}}


def test_a_chunked_body_over_the_limit_is_payload_too_large(server):
    answer = post_chunked(server, json.dumps({"name": "x" * LIMIT}).encode())
    assert_problem(answer, 413, "payload_too_large")
