"""Reading the kit's responses in the identity tests."""


def data(response):
    """The ``data`` of a success envelope."""
    body = response.json()
    assert set(body) == {"data", "meta"}, body
    return body["data"]


def problem(response, status, code):
    """The problem body of an error response, checked for its status and code."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code, body
    return body
