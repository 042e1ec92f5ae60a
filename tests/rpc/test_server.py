"""RPC through a real server (``manage.py serve``): Python's xmlrpc.client and plain JSON-RPC over
sockets, with API keys and rights from the database, the request id in the answer and the log."""

import json
import time
import urllib.request
import xmlrpc.client

import pytest

from kit.services import UpstreamRPCError, upstream
from tests.ops.processes import free_port, manage, process_env, start_manage, stop, wait_until_serving
from tests.passes import sqlite_run_only

pytestmark = [pytest.mark.slow, sqlite_run_only]

CREATE_CALLERS = """
from django.contrib.auth import get_user_model
from kit.authentication.api_keys.keys import api_key_create
from kit.authorization.models import Right
User = get_user_model()
allowed = User.objects.create_user("allowed", password="x-password-0123")
Right.objects.create(user=allowed, resource="calc", operation="add")
denied = User.objects.create_user("denied", password="x-password-0123")
print(api_key_create(owner=allowed, name="rpc")[1])
print(api_key_create(owner=denied, name="rpc")[1])
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module, and the API keys of a caller with ``calc:add`` and one without."""
    folder = tmp_path_factory.mktemp("rpc")
    env = process_env(DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}", CACHE_URL="locmemcache://")
    for step in (("migrate", "--no-input"), ("shell", "--no-imports", "-c", CREATE_CALLERS)):
        result = manage(*step, env=env, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
    allowed_key, denied_key = result.stdout.split()
    port = free_port()
    log = folder / "serve.log"
    process = start_manage("serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", env=env, log=log)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(f"{base}/health/live", process, log)
    yield {"base": base, "url": f"{base}/api/rpc", "allowed": allowed_key, "denied": denied_key, "log": log}
    stop(process)


def json_rpc(server, body, key, request_id):
    headers = {"Content-Type": "application/json", "X-API-Key": key, "X-Request-ID": request_id}
    request = urllib.request.Request(server["url"], json.dumps(body).encode(), headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["X-Request-ID"], json.loads(response.read())


def wait_for_log(server, text, timeout=10):
    deadline = time.monotonic() + timeout
    while text not in server["log"].read_text():
        if time.monotonic() > deadline:
            pytest.fail(f"{text!r} not logged:\n{server['log'].read_text()}")
        time.sleep(0.1)


def test_xmlrpc_client_calls_a_method(server):
    proxy = xmlrpc.client.ServerProxy(server["url"], headers=[("X-API-Key", server["allowed"])])
    assert proxy.calc.add(2, 3) == 5
    assert "calc.add" in proxy.system.listMethods()


def test_xmlrpc_client_with_bad_credentials_gets_401(server):
    proxy = xmlrpc.client.ServerProxy(server["url"], headers=[("X-API-Key", "bad-key")])
    with pytest.raises(xmlrpc.client.ProtocolError) as raised:
        proxy.calc.add(2, 3)
    assert raised.value.errcode == 401


def test_xmlrpc_client_without_the_right_gets_a_fault(server):
    proxy = xmlrpc.client.ServerProxy(server["url"], headers=[("X-API-Key", server["denied"])])
    with pytest.raises(xmlrpc.client.Fault) as raised:
        proxy.calc.add(2, 3)
    assert raised.value.faultString == "forbidden: Missing permission: calc:add."


def test_json_rpc_batch_with_request_id_in_answer_and_log(server):
    batch = [
        {"jsonrpc": "2.0", "method": "calc.add", "params": {"a": 1, "b": 2}, "id": 1},
        {"jsonrpc": "2.0", "method": "calc.divide", "params": [1, 0], "id": 2},
    ]
    request_id, answers = json_rpc(server, batch, server["allowed"], "rpc-server-0001")
    assert request_id == "rpc-server-0001"
    assert answers[0] == {"jsonrpc": "2.0", "id": 1, "result": 3}
    assert answers[1]["error"]["code"] == -32603
    assert answers[1]["error"]["data"]["request_id"] == "rpc-server-0001"
    assert "traceback" not in answers[1]["error"]["data"]
    wait_for_log(server, "rpc-server-0001")
    wait_for_log(server, "ZeroDivisionError")


def test_json_rpc_without_the_right_is_forbidden(server):
    _, answer = json_rpc(
        server,
        {"jsonrpc": "2.0", "method": "calc.add", "params": [1, 2], "id": 7},
        server["denied"],
        "rpc-server-0002",
    )
    assert answer["id"] == 7
    assert answer["error"]["data"]["code"] == "forbidden"
    assert answer["error"]["data"]["status"] == 403


@pytest.fixture
def calc(server, settings):
    """The server as the upstream ``calc`` of this process, calling with a key that holds ``calc:add``."""
    kit = dict(getattr(settings, "KIT", {}) or {})
    kit["UPSTREAMS"] = {"calc": {"URL": [server["base"]], "API_KEY": server["allowed"], "RETRIES": 0}}
    settings.KIT = kit
    return upstream("calc")


def test_the_upstream_rpc_client_calls_methods(calc):
    assert calc.rpc.calc.add(2, 3) == 5
    assert calc.rpc.call("calc.add", a=1, b=2) == 3
    assert "calc.add" in calc.rpc.system.listMethods()


def test_the_upstream_rpc_client_raises_the_error_it_is_answered(calc, server, settings):
    with pytest.raises(UpstreamRPCError) as raised:
        calc.rpc.calc.nothing()
    assert (raised.value.rpc_code, raised.value.upstream) == (-32601, "calc")
    assert raised.value.status_code == 502  # unhandled, the caller's client gets bad_gateway

    settings.KIT["UPSTREAMS"]["calc"]["API_KEY"] = server["denied"]
    settings.KIT = dict(settings.KIT)  # a new client, with the key that lacks calc:add
    with pytest.raises(UpstreamRPCError) as raised:
        upstream("calc").rpc.calc.add(1, 2)
    error = raised.value
    assert (error.rpc_code, error.upstream_status, error.upstream_code) == (-32000, 403, "forbidden")
    assert error.upstream_detail == "Missing permission: calc:add."
    assert error.upstream_request_id
