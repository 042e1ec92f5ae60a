"""A real S3-compatible server for tests: moto in server mode, in a process of its own.

:func:`s3_server` starts ``moto.server`` on a free port (or ``KIT_TEST_OBJECT_STORAGE_PORT``) and
yields its endpoint; :func:`s3_storage_settings` answers the ``STORAGES`` and credentials of a new
bucket there, as ``STORAGE_URL=s3://bucket?endpoint=...`` would. The fixtures
``object_storage_server`` (one per test session) and ``object_storage`` (a new bucket for a test,
set as the default storage) use them; moto (``moto[server]``) must be installed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kit.files.storage_url import storage_config

PORT_VARIABLE = "KIT_TEST_OBJECT_STORAGE_PORT"
REGION = "us-east-1"
#: Credentials moto accepts (any are); never real ones.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "kit-test-key", "AWS_SECRET_ACCESS_KEY": "kit-test-secret"}
START_TIMEOUT = 30.0


@contextmanager
def s3_server(port: int | None = None) -> Iterator[str]:
    """Run moto's S3 server until the block ends; yield its endpoint (``http://127.0.0.1:<port>``)."""
    port = port or int(os.environ.get(PORT_VARIABLE) or 0) or _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def s3_storage_settings(endpoint: str, bucket: str | None = None) -> dict[str, Any]:
    """Settings of a new bucket on ``endpoint`` as the default storage (the bucket is created)."""
    import boto3

    bucket = bucket or f"kit-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=bucket)
    default = storage_config(f"s3://{bucket}?endpoint={endpoint}&region={REGION}")
    return {"default": default, **CREDENTIALS}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
                raise RuntimeError(f"The S3 test server did not start on port {port}: {errors}") from None
            time.sleep(0.05)
