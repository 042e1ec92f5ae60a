import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    """A DRF test client that answers 500s instead of re-raising the view's exception."""
    return APIClient(raise_request_exception=False)


def assert_problem(response, status, code):
    """Assert ``response`` is an RFC 9457 problem with ``status`` and ``code``; return its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"https://django-service-kit.dev/problems/{code}"
    assert body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["instance"] == response.wsgi_request.path
    assert body["request_id"] == response["X-Request-ID"]
    return body
