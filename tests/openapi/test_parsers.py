"""Request bodies: JSON by default; multipart only where the body serializer takes files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kit.testing import assert_is_problem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("format_", ["multipart", None])
def test_model_views_refuse_form_bodies(auth_client, format_):
    client = auth_client(permissions=["items:create"])
    kwargs = {"format": format_} if format_ else {"content_type": "application/x-www-form-urlencoded"}
    body = {"name": "hammer", "count": 1} if format_ else "name=hammer&count=1"

    response = client.post("/api/v1/items", body, **kwargs)

    assert_is_problem(response, status=415, code="unsupported_media_type")


@pytest.mark.urls("tests.openapi.urls")
def test_a_view_taking_files_parses_multipart(api_client):
    upload = SimpleUploadedFile("note.txt", b"file body", content_type="text/plain")

    response = api_client.post("/upload", {"title": "note", "file": upload}, format="multipart")

    assert response.status_code == 200, response.content
    assert response.json()["data"] == {"text": "note: file body"}


@pytest.mark.urls("tests.openapi.urls")
def test_a_view_taking_files_still_refuses_form_urlencoded(api_client):
    response = api_client.post("/upload", "title=note", content_type="application/x-www-form-urlencoded")

    assert_is_problem(response, status=415, code="unsupported_media_type")
