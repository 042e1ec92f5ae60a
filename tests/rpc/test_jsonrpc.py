"""JSON-RPC 2.0 at /api/rpc, in process: results, every error code, batches and notifications."""

import json

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

URL = "/api/rpc"


def post(client, body, **headers):
    raw = body if isinstance(body, bytes) else json.dumps(body)
    return client.generic("POST", URL, raw, content_type="application/json", **headers)


def call(method, params=None, id=1):
    request = {"jsonrpc": "2.0", "method": method, "id": id}
    if params is not None:
        request["params"] = params
    return request


def error_of(response, code, problem_code, status=200):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["jsonrpc"] == "2.0"
    error = body["error"]
    assert error["code"] == code, error
    assert error["data"]["code"] == problem_code
    assert error["data"]["request_id"] == response["X-Request-ID"]
    return body


@pytest.fixture
def caller(auth_client):
    client = auth_client(rights=["calc:add"])
    client.raise_request_exception = False  # internal errors are answered, as in production
    return client


def test_positional_and_named_params(caller):
    response = post(caller, call("calc.add", [2, 3]))
    assert response.status_code == 200
    assert response.json() == {"jsonrpc": "2.0", "id": 1, "result": 5}
    assert post(caller, call("calc.add", {"a": 2, "b": 40}, id="x")).json()["result"] == 42


def test_the_request_id_is_the_callers(caller):
    response = post(caller, call("calc.add", [1, 1]), HTTP_X_REQUEST_ID="rpc-call-0001")
    assert response["X-Request-ID"] == "rpc-call-0001"


def test_type_hints_convert_and_defaults_apply(caller):
    body = post(caller, call("calc.total", {"prices": ["1.10", 2]})).json()
    assert body["result"] == 3.1
    assert post(caller, call("calc.total", [["5"], "0.5"])).json()["result"] == 4.5


def test_anonymous_caller_is_unauthenticated(api_client):
    body = error_of(post(api_client, call("calc.add", [1, 2])), -32000, "unauthenticated")
    assert body["error"]["data"]["status"] == 401
    assert body["id"] == 1


def test_caller_without_the_right_is_forbidden(auth_client):
    body = error_of(post(auth_client(), call("calc.add", [1, 2])), -32000, "forbidden")
    assert body["error"]["message"] == "Forbidden"
    assert body["error"]["data"]["status"] == 403
    assert body["error"]["data"]["detail"] == "Missing permission: calc:add."


def test_any_authenticated_caller_and_public_methods(auth_client, api_client):
    client = auth_client()
    assert post(client, call("whoami")).json()["result"] == client.user.get_username()
    assert post(api_client, call("echo", ["hi"])).json()["result"] == "hi"


def test_bad_credentials_refuse_the_whole_request(api_client):
    response = post(api_client, call("echo", [1]), HTTP_AUTHORIZATION="Bearer not-a-token")
    body = error_of(response, -32000, "unauthenticated", status=401)
    assert body["id"] is None
    assert response["WWW-Authenticate"]


def test_parse_error(caller):
    body = error_of(post(caller, b'{"jsonrpc": "2.0", "method"'), -32700, "parse_error", status=400)
    assert body["error"]["message"] == "Parse error"
    assert body["id"] is None


def test_empty_body_is_a_parse_error(caller):
    assert (
        error_of(post(caller, b""), -32700, "parse_error", status=400)["error"]["data"]["detail"]
        == "The request body is empty."
    )


def test_deeply_nested_json_is_a_parse_error(caller):
    error_of(post(caller, b"[" * 100_000 + b"]" * 100_000), -32700, "parse_error", status=400)


@pytest.mark.parametrize(
    "request_object",
    [
        {"method": "calc.add", "id": 1},
        {"jsonrpc": "1.0", "method": "calc.add", "id": 1},
        {"jsonrpc": "2.0", "method": 7, "id": 1},
        {"jsonrpc": "2.0", "method": "calc.add", "params": 3, "id": 1},
        {"jsonrpc": "2.0", "method": "calc.add", "params": None, "id": 1},
        {"jsonrpc": "2.0", "method": "calc.add", "id": {"not": "valid"}},
        "a string",
    ],
)
def test_invalid_request(caller, request_object):
    body = error_of(post(caller, request_object), -32600, "bad_request", status=400)
    assert body["error"]["message"] == "Invalid Request"
    assert body["id"] == (1 if isinstance(request_object, dict) and request_object["id"] == 1 else None)


def test_method_not_found(caller):
    body = error_of(post(caller, call("calc.nope")), -32601, "not_found")
    assert body["error"]["data"]["detail"] == "Method 'calc.nope' not found."


@pytest.mark.parametrize(
    ("params", "attr"),
    [([1], "b"), ([1, "two"], "b"), ({"a": 1, "b": 2, "c": 3}, "c"), ({"a": 1.5, "b": 2}, "a")],
)
def test_invalid_params_name_the_parameter(caller, params, attr):
    body = error_of(post(caller, call("calc.add", params)), -32602, "validation_error")
    assert [error["attr"] for error in body["error"]["data"]["errors"]] == [attr]


def test_too_many_positional_params(caller):
    error_of(post(caller, call("calc.add", [1, 2, 3])), -32602, "validation_error")


def test_params_validated_by_a_serializer(caller):
    assert post(caller, call("calc.range", {"start": 1, "stop": 4})).json()["result"] == [1, 2, 3]
    body = error_of(post(caller, call("calc.range", [5, 2])), -32602, "validation_error")
    assert body["error"]["data"]["errors"][0]["detail"] == "start must not exceed stop."
    error_of(post(caller, call("calc.range", [-1, 2])), -32602, "validation_error")


def test_problem_raised_by_a_method(caller):
    body = error_of(post(caller, call("calc.reserve", [3])), -32000, "conflict")
    assert body["error"]["data"]["detail"] == "Cannot reserve 3: out of stock."


def test_internal_error_hides_the_traceback(caller, caplog):
    body = error_of(post(caller, call("calc.divide", [1, 0])), -32603, "server_error")
    assert body["error"]["message"] == "Internal error"
    assert "traceback" not in body["error"]["data"]
    assert "ZeroDivisionError" not in json.dumps(body)
    logged = [record for record in caplog.records if record.exc_info and record.name == "kit.problems"]
    assert logged and logged[0].exc_info[0] is ZeroDivisionError


@override_settings(DEBUG=True)
def test_internal_error_shows_the_traceback_in_debug(caller):
    body = error_of(post(caller, call("calc.divide", [1, 0])), -32603, "server_error")
    assert "ZeroDivisionError" in body["error"]["data"]["traceback"]


def test_batch_answers_each_call_and_skips_notifications(caller):
    batch = [
        call("calc.add", [1, 2], id=1),
        {"jsonrpc": "2.0", "method": "calc.add", "params": [5, 5]},
        call("calc.nope", id=2),
        {"foo": "bar"},
        call("calc.divide", [1, 0], id=3),
    ]
    response = post(caller, batch)
    assert response.status_code == 200
    answers = response.json()
    assert [answer.get("id") for answer in answers] == [1, 2, None, 3]
    assert answers[0]["result"] == 3
    assert [answer["error"]["code"] for answer in answers[1:]] == [-32601, -32600, -32603]


def test_empty_batch_is_an_invalid_request(caller):
    error_of(post(caller, []), -32600, "bad_request", status=400)


def test_batch_size_limit(caller, settings):
    settings.KIT = {**getattr(settings, "KIT", {}), "RPC_MAX_BATCH_SIZE": 2}
    body = error_of(
        post(caller, [call("echo", [n], id=n) for n in range(3)]), -32600, "bad_request", status=400
    )
    assert body["error"]["data"]["detail"] == "A batch holds 1 to 2 requests, got 3."


def test_notifications_get_no_answer(caller):
    notification = {"jsonrpc": "2.0", "method": "calc.add", "params": [1, 2]}
    response = post(caller, notification)
    assert response.status_code == 204
    assert response.content == b""
    failing = {"jsonrpc": "2.0", "method": "calc.divide", "params": [1, 0]}
    assert post(caller, [notification, failing]).status_code == 204


def test_body_over_the_size_limit_is_refused(caller, settings):
    settings.KIT = {**getattr(settings, "KIT", {}), "MAX_REQUEST_BODY_SIZE": 1024}
    response = post(caller, call("echo", ["x" * 2000]))
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_unsupported_media_type(caller):
    response = caller.generic("POST", URL, "a=1", content_type="application/x-www-form-urlencoded")
    body = error_of(response, -32000, "unsupported_media_type", status=415)
    assert body["id"] is None


def test_get_is_not_allowed(caller):
    error_of(caller.get(URL), -32000, "method_not_allowed", status=405)


def test_system_methods(api_client):
    names = post(api_client, call("system.listMethods")).json()["result"]
    assert {"calc.add", "echo", "system.listMethods", "system.methodHelp"} <= set(names)
    assert names == sorted(names)
    assert post(api_client, call("system.methodHelp", ["calc.add"])).json()["result"] == "Add two integers."
