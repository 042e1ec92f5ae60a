"""The body size limit through a real server: gunicorn answers 413 without reading the body."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ops.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server():
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.project.settings", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
            "django.core.wsgi:get_wsgi_application()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn did not start: {process.stdout.read().decode()}")
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=10)


def exchange(port, head, body=b""):
    """Send a request head and a (partial) body; return the status, headers and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.replace(b"\n", b"\r\n") + b"\r\n" + body)
        raw = b""
        while b"\r\n\r\n" not in raw:
            raw += sock.recv(65536)
        header_block, content = raw.split(b"\r\n\r\n", 1)
        lines = header_block.decode().split("\r\n")
        headers = {k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:])}
        while len(content) < int(headers.get("content-length", 0)):
            content += sock.recv(65536)
    return int(lines[0].split()[1]), headers, content


def test_announced_oversized_body_is_refused_before_it_is_sent(server):
    head = (
        b"POST /api/test/json-only HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n"
        b"Content-Length: 1073741824\nX-Request-ID: big-upload\n"
    )
    # 1 GiB announced, 10 bytes sent: an answer at all (not the socket's timeout) means it came first
    status, headers, content = exchange(server, head, body=b'{"data": "')
    assert status == 413
    assert headers["content-type"] == "application/problem+json"
    assert headers["x-request-id"] == "big-upload"
    problem = json.loads(content)
    assert problem["code"] == "payload_too_large"
    assert problem["detail"] == "The request body is larger than 10485760 bytes."


def test_body_within_the_limit_is_served(server):
    body = b'{"a": 1}'
    head = (
        b"POST /api/test/json-only HTTP/1.1\nHost: 127.0.0.1\nContent-Type: application/json\n"
        b"Content-Length: " + str(len(body)).encode() + b"\nConnection: close\n"
    )
    status, _, content = exchange(server, head, body)
    assert status == 200
    assert json.loads(content)["data"] == {"received": {"a": 1}}
