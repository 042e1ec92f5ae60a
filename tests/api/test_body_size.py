"""Bodies over KIT["MAX_REQUEST_BODY_SIZE"] answer 413 before anything reads them."""

import io

import pytest
from django.test import override_settings

from tests.api.conftest import assert_problem

pytestmark = pytest.mark.django_db


class UnreadableStream(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def readinto(self, buffer):
        raise AssertionError("the body was read")


@override_settings(KIT={"MAX_REQUEST_BODY_SIZE": 100})
def test_declared_length_over_the_limit_is_rejected_without_reading(client):
    response = client.generic(
        "POST",
        "/api/test/json-only",
        content_type="application/json",
        CONTENT_LENGTH="101",
        **{"wsgi.input": UnreadableStream()},
    )
    problem = assert_problem(response, 413, "payload_too_large")
    assert problem["detail"] == "The request body is larger than 100 bytes."


@override_settings(KIT={"MAX_REQUEST_BODY_SIZE": 100})
def test_body_at_the_limit_is_accepted(client):
    body = b'{"a": "' + b"x" * 91 + b'"}'
    assert len(body) == 100
    response = client.post("/api/test/json-only", body, content_type="application/json")
    assert response.status_code == 200


@override_settings(KIT={"MAX_REQUEST_BODY_SIZE": None})
def test_limit_can_be_turned_off(client):
    response = client.post(
        "/api/test/json-only", b'{"a": "' + b"x" * 20_000 + b'"}', content_type="application/json"
    )
    assert response.status_code == 200


def test_buffered_body_without_content_length_is_measured(rf):
    """On ASGI a chunked body arrives buffered in a seekable file with no Content-Length."""
    from kit.middleware import body_size

    request = rf.post("/x", b"y" * 5000, content_type="application/octet-stream")
    del request.META["CONTENT_LENGTH"]
    request._stream = io.BytesIO(b"y" * 5000)
    assert body_size(request) == 5000
    assert request._stream.tell() == 0


def test_default_limit_is_ten_mebibytes(client):
    response = client.generic(
        "POST",
        "/api/test/json-only",
        content_type="application/json",
        CONTENT_LENGTH=str(10 * 1024 * 1024 + 1),
        **{"wsgi.input": UnreadableStream()},
    )
    assert_problem(response, 413, "payload_too_large")
