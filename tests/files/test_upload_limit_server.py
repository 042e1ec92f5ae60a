"""The upload limit through a real server (gunicorn): 413 from Content-Length, the body never sent."""

import json

import pytest

from tests.api.test_body_size_server import exchange, server  # noqa: F401 - the module's gunicorn
from tests.passes import sqlite_run_only

pytestmark = [pytest.mark.slow, sqlite_run_only]


def test_an_upload_announced_over_the_fields_limits_is_refused_before_it_is_sent(server):  # noqa: F811
    announced = 2 * 1024 * 1024  # under the process-wide 10 MiB, over the documents' file limits
    head = (
        b"POST /api/files-test/documents HTTP/1.1\nHost: 127.0.0.1\n"
        b"Content-Type: multipart/form-data; boundary=kitboundary\n"
        b"Content-Length: " + str(announced).encode() + b"\nX-Request-ID: big-document\n"
    )
    # 15 bytes of 2 MiB sent: a server waiting for the rest would time the exchange out instead.
    status, headers, content = exchange(server, head, body=b"--kitboundary\r\n")
    assert status == 413
    assert headers["content-type"] == "application/problem+json"
    assert headers["x-request-id"] == "big-document"
    problem = json.loads(content)
    assert problem["code"] == "payload_too_large"
    assert problem["detail"] == f"The request body is larger than {4096 + 64 * 1024 + 64 * 1024} bytes."
