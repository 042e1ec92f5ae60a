"""XML-RPC at /api/rpc, in process: results, faults with the JSON-RPC codes, XML attacks refused."""

import xmlrpc.client

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/rpc"


def post(client, body, **headers):
    return client.generic("POST", URL, body, content_type="text/xml", **headers)


def call(client, method, *params):
    response = post(client, xmlrpc.client.dumps(params, method, allow_none=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml"
    return xmlrpc.client.loads(response.content, use_datetime=True)[0][0]


def fault(client, body, code):
    response = post(client, body if isinstance(body, bytes) else xmlrpc.client.dumps(*body, allow_none=True))
    with pytest.raises(xmlrpc.client.Fault) as raised:
        xmlrpc.client.loads(response.content)
    assert raised.value.faultCode == code
    return raised.value.faultString


@pytest.fixture
def caller(auth_client):
    client = auth_client(rights=["calc:add"])
    client.raise_request_exception = False  # internal errors are answered, as in production
    return client


def test_result(caller):
    assert call(caller, "calc.add", 2, 3) == 5
    assert call(caller, "system.listMethods")[0] == "calc.add"
    assert call(caller, "echo", None) is None


def test_rights(api_client, auth_client):
    assert (
        fault(api_client, (((1, 2), "calc.add")), -32000)
        == "unauthenticated: Authentication credentials were not provided."
    )
    assert fault(auth_client(), ((1, 2), "calc.add"), -32000) == "forbidden: Missing permission: calc:add."


def test_bad_credentials(api_client):
    body = xmlrpc.client.dumps((1,), "echo")
    response = post(api_client, body, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    with pytest.raises(xmlrpc.client.Fault) as raised:
        xmlrpc.client.loads(response.content)
    assert raised.value.faultString.startswith("unauthenticated: ")


def test_error_codes(caller):
    assert fault(caller, ((1,), "calc.nope"), -32601) == "not_found: Method 'calc.nope' not found."
    assert fault(caller, ((1, "x"), "calc.add"), -32602).startswith("validation_error: ")
    assert fault(caller, ((1.0, 0.0), "calc.divide"), -32603) == "server_error: An unexpected error occurred."
    assert fault(caller, ((3,), "calc.reserve"), -32000) == "conflict: Cannot reserve 3: out of stock."
    assert fault(caller, b"<methodCall><methodName>calc.add", -32700).startswith("parse_error: ")
    assert fault(caller, b"<methodResponse><params/></methodResponse>", -32700).startswith("parse_error: ")


def test_application_xml_is_xmlrpc_too(caller):
    body = xmlrpc.client.dumps((2, 3), "calc.add")
    response = caller.generic("POST", URL, body, content_type="application/xml; charset=utf-8")
    assert xmlrpc.client.loads(response.content)[0][0] == 5


def test_empty_body_is_a_parse_error_refusing_the_request(caller):
    assert post(caller, b"").status_code == 400
    assert fault(caller, b"", -32700) == "parse_error: The request body is empty."


def test_result_that_xmlrpc_cannot_carry_is_an_internal_error(caller):
    assert fault(caller, ((2**30, 2**30), "calc.add"), -32603).startswith("server_error: ")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<methodCall><methodName>echo</methodName><params><param><value>&lol4;</value></param></params></methodCall>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE call [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<methodCall><methodName>echo</methodName><params><param><value>&secret;</value></param></params></methodCall>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_xml_attacks_are_parse_errors(caller, body):
    message = fault(caller, body, -32700)
    assert message.startswith("parse_error: ")
    assert "lollol" not in message and "root:" not in message


def test_deep_nesting_is_a_parse_error(caller):
    deep = b"<value><array><data>" * 5000 + b"<value><int>1</int></value>" + b"</data></array></value>" * 5000
    body = (
        b"<methodCall><methodName>echo</methodName><params><param>" + deep + b"</param></params></methodCall>"
    )
    assert "nested deeper than 100 levels" in fault(caller, body, -32700)
    nested = 1
    for _ in range(99):
        nested = [nested]
    assert call(caller, "echo", nested) == nested
