"""Streamed file responses: downloads, static files with Last-Modified, stored files."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import RequestFactory
from django.utils.http import http_date

from kit.errors import Problem
from kit.files import file_response, static_file, stored_file_response
from tests.passes import sqlite_run_only

pytestmark = sqlite_run_only  # no database involved


def test_a_file_is_streamed_as_a_download_with_its_type():
    response = file_response(io.BytesIO(b"a,b\n1,2\n"), filename="report.csv")
    assert response.streaming
    assert b"".join(response.streaming_content) == b"a,b\n1,2\n"
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="report.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_unknown_type_is_sent_as_bytes_and_a_given_one_wins(tmp_path):
    path = tmp_path / "blob.qqz"
    path.write_bytes(b"\x00\x01")
    assert file_response(path)["Content-Type"] == "application/octet-stream"
    assert file_response(path, content_type="image/png", as_attachment=False)["Content-Type"] == "image/png"


def test_a_static_file_answers_304_when_not_modified(tmp_path):
    path = tmp_path / "logo.txt"
    path.write_text("logo")
    factory = RequestFactory()
    first = static_file(factory.get("/logo.txt"), path)
    assert first.status_code == 200
    assert "inline" in first["Content-Disposition"]
    assert first["Last-Modified"] == http_date(path.stat().st_mtime)
    again = static_file(factory.get("/logo.txt", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]), path)
    assert again.status_code == 304


def test_a_missing_static_file_is_404(tmp_path):
    with pytest.raises(Problem) as problem:
        static_file(RequestFactory().get("/x"), tmp_path / "missing.txt")
    assert problem.value.status_code == 404
    with pytest.raises(Problem):
        static_file(RequestFactory().get("/x"), tmp_path)  # a folder


def test_a_stored_file_is_streamed_privately(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("docs/a.txt", ContentFile(b"stored"))
    response = stored_file_response(storage, name)
    assert b"".join(response.streaming_content) == b"stored"
    assert response["Cache-Control"] == "private, no-store"
    with pytest.raises(Problem) as problem:
        stored_file_response(storage, "docs/missing.txt")
    assert problem.value.code == "not_found"
