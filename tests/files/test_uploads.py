"""Uploads through a model view, on the local disk and on S3: stored, linked, replaced, deleted."""

import time
import urllib.request

import pytest
from django.core import signing
from django.core.files.storage import default_storage

from kit.testing import assert_is_problem
from kit.testing.client import APIClient
from tests.files.app.models import Document
from tests.files.conftest import DOCUMENTS, multipart, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def upload(client, title, files, method="post", path=DOCUMENTS):
    body, content_type = multipart({"title": title}, files)
    return getattr(client, method)(path, body, content_type=content_type)


def download(client, url):
    """The bytes behind a download URL: the kit's view in-process, or the S3 server over HTTP."""
    if url.startswith("http://testserver/"):
        response = client.get(url)
        assert response.status_code == 200, response.content
        return b"".join(response.streaming_content), response
    with urllib.request.urlopen(url, timeout=10) as answer:  # presigned by the storage
        return answer.read(), answer


def test_an_upload_is_stored_and_downloaded_through_its_signed_url(client, storage):
    content = pdf_bytes()
    response = upload(client, "report", {"attachment": ("report.pdf", "application/pdf", content)})
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    document = Document.objects.get(pk=data["id"])
    assert document.attachment.name.startswith("documents/report")
    assert default_storage.exists(document.attachment.name)
    assert data["picture"] is None
    fetched, answer = download(client, data["attachment"])
    assert fetched == content
    if "X-Amz-Signature" not in data["attachment"]:
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert answer["Content-Type"] == "application/pdf"
        assert "attachment" in answer["Content-Disposition"]


def test_the_storage_signs_its_own_urls_when_it_can(client, storage):
    response = upload(client, "pic", {"picture": ("p.png", "image/png", png_bytes())})
    assert response.status_code == 201, response.content
    url = response.json()["data"]["picture"]
    if isinstance(storage, dict):  # S3: a presigned URL of the object storage itself
        assert url.startswith(storage["default"]["OPTIONS"]["endpoint_url"])
        assert "X-Amz-Expires=3600" in url
    else:
        assert url.startswith("http://testserver/api/files/")


def test_replacing_a_file_deletes_the_old_one_and_deleting_the_object_deletes_its_file(client, storage):
    created = upload(client, "doc", {"attachment": ("a.txt", "text/plain", b"first version\n")})
    assert created.status_code == 201, created.content
    document = Document.objects.get()
    first = document.attachment.name
    path = f"{DOCUMENTS}/{document.pk}"
    replaced = upload(
        client, "doc", {"attachment": ("a.txt", "text/plain", b"second\n")}, method="put", path=path
    )
    assert replaced.status_code == 200, replaced.content
    document.refresh_from_db()
    assert document.attachment.name != first
    assert not default_storage.exists(first)
    assert default_storage.exists(document.attachment.name)
    second = document.attachment.name
    assert client.delete(path).status_code == 204
    assert not Document.objects.exists()
    assert not default_storage.exists(second)


def test_a_conflict_leaves_no_stored_file(client, storage):
    Document.objects.create(title="taken")
    response = upload(client, "taken", {"attachment": ("a.txt", "text/plain", b"hello\n")})
    assert_is_problem(response, status=409, code="conflict")
    assert Document.objects.count() == 1
    _directories, files = default_storage.listdir("documents/") if _exists("documents/") else ([], [])
    assert files == []


def _exists(folder):
    try:
        default_storage.listdir(folder)
    except FileNotFoundError:
        return False
    return True


def test_a_download_link_that_was_tampered_with_is_refused(client, disk_storage):
    response = upload(client, "doc", {"attachment": ("a.txt", "text/plain", b"secret\n")})
    url = response.json()["data"]["attachment"]
    token_start = url.index("/api/files/") + len("/api/files/")
    tampered = url[:token_start] + ("A" if url[token_start] != "A" else "B") + url[token_start + 1 :]
    assert_is_problem(client.get(tampered), status=403, code="forbidden")
    assert client.get(url).status_code == 200


def test_an_expired_download_link_is_refused(client, disk_storage, monkeypatch):
    two_hours_ago = time.time() - 7200
    monkeypatch.setattr(signing.time, "time", lambda: two_hours_ago)
    response = upload(client, "doc", {"attachment": ("a.txt", "text/plain", b"secret\n")})
    monkeypatch.undo()
    problem = assert_is_problem(
        client.get(response.json()["data"]["attachment"]), status=403, code="forbidden"
    )
    assert "expired" in problem["detail"]


def test_a_download_link_needs_no_credentials_but_is_only_handed_to_readers(
    client, disk_storage, auth_client
):
    response = upload(client, "doc", {"attachment": ("a.txt", "text/plain", b"secret\n")})
    url = response.json()["data"]["attachment"]
    stranger = auth_client()  # no right on documents
    assert_is_problem(
        stranger.get(f"{DOCUMENTS}/{response.json()['data']['id']}"), status=403, code="forbidden"
    )
    anonymous = APIClient()
    fetched = anonymous.get(url)
    assert fetched.status_code == 200
    assert b"".join(fetched.streaming_content) == b"secret\n"
    assert fetched["Cache-Control"] == "private, no-store"


def test_a_deleted_file_answers_404(client, disk_storage):
    response = upload(client, "doc", {"attachment": ("a.txt", "text/plain", b"secret\n")})
    default_storage.delete(Document.objects.get().attachment.name)
    assert_is_problem(client.get(response.json()["data"]["attachment"]), status=404, code="not_found")
