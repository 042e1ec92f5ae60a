"""``manage.py runserver`` serves HTTP and WebSockets together, on ``LISTEN:PORT``."""

import json

import pytest
from websockets.sync.client import connect

from tests.ops.processes import http_get, process_env, start_manage, stop, wait_until_serving
from tests.realtime.servers import private_port, receive

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def once_per_suite():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("process tests run in the SQLite pass")


def test_runserver_serves_websockets_and_http_on_listen_port(tmp_path):
    port = private_port()
    env = process_env(
        DEBUG="true", LISTEN="127.0.0.1", PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path / 'db'}"
    )
    log = tmp_path / "runserver.log"
    process = start_manage("runserver", "--noreload", env=env, log=log)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/health/live", process, log)
        assert http_get(f"http://127.0.0.1:{port}/health/live")[0] == 200
        with connect(f"ws://127.0.0.1:{port}/ws/test/public", open_timeout=10) as websocket:
            websocket.send(json.dumps({"type": "ping"}))
            assert receive(websocket)["type"] == "pong"
    finally:
        stop(process)
    assert "Serving HTTP and WebSockets" in log.read_text()
