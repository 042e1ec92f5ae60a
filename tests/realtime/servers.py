"""Real ``manage.py serve --websockets`` processes for the realtime tests, on ports 25000-25999."""

import json
import socket
import subprocess
from contextlib import contextmanager
from pathlib import Path

from websockets.sync.client import connect

from tests.ops.processes import process_env, start_manage, wait_until_serving

PORTS = range(25100, 26000)


def private_port() -> int:
    """A free port of this test area's range."""
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 25100-25999")


class WebSocketServer:
    """``manage.py serve --websockets`` on a private port, with the environment given."""

    def __init__(self, folder: Path, name: str, env: dict[str, str]) -> None:
        self.port = private_port()
        self.log = folder / f"{name}.log"
        self.process: subprocess.Popen = start_manage(
            "serve", "--websockets", "--bind", f"127.0.0.1:{self.port}", env=process_env(**env), log=self.log
        )
        self.http = f"http://127.0.0.1:{self.port}"
        wait_until_serving(f"{self.http}/health/live", self.process, self.log)

    def url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    @contextmanager
    def connect(
        self, path: str, *, token: str | None = None, headers: dict[str, str] | None = None, **options
    ):
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        with connect(self.url(path), additional_headers=all_headers, open_timeout=10, **options) as websocket:
            yield websocket


def receive(websocket, timeout: float = 5) -> dict:
    return json.loads(websocket.recv(timeout=timeout))


def close_code(websocket, timeout: float = 5) -> int:
    """Read until the server closes; its close code."""
    from websockets.exceptions import ConnectionClosed

    try:
        while True:
            websocket.recv(timeout=timeout)
    except ConnectionClosed as closed:
        assert closed.rcvd is not None, "the connection dropped without a close frame"
        return closed.rcvd.code


def silent_client(port: int, path: str, message: str, headers: dict[str, str] | None = None) -> socket.socket:
    """A raw client that opens a WebSocket (with ``headers``), sends one text message, never reads.

    Its receive buffer is kept small, so the server's writes back up after a few hundred KB.
    """
    import base64
    import os

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16_384)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n"
        ).encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(1)
    assert response.startswith(b"HTTP/1.1 101"), response
    payload, mask = message.encode(), os.urandom(4)
    assert len(payload) < 126
    masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
    sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)
    return sock
