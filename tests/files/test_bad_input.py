"""Bad uploads: over the limit (413), a lying or refused type (415), a path-traversal name, and
object storage that is down (503, nothing written)."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings

from kit.files.storage_url import storage_config
from kit.files.uploads import safe_name
from kit.testing import assert_is_problem
from tests.files.app.models import Document
from tests.files.conftest import DOCUMENTS, multipart, pdf_bytes, png_bytes
from tests.ops.processes import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def post(client, files, title="doc", path=DOCUMENTS, method="post"):
    body, content_type = multipart({"title": title}, files)
    return getattr(client, method)(path, body, content_type=content_type)


def test_a_file_over_its_field_limit_is_413(client, disk_storage):
    response = post(client, {"attachment": ("big.txt", "text/plain", b"x" * 4097)})
    problem = assert_is_problem(response, status=413, code="payload_too_large")
    assert problem["errors"][0]["attr"] == "attachment"
    assert not Document.objects.exists()


def test_a_body_declared_over_the_upload_limit_is_413_before_it_is_read(client, disk_storage):
    body, content_type = multipart({"title": "doc"}, {"attachment": ("a.txt", "text/plain", b"x")})
    response = client.generic(
        "POST", DOCUMENTS, body, content_type=content_type, CONTENT_LENGTH=str(10 * 1024 * 1024)
    )
    problem = assert_is_problem(response, status=413, code="payload_too_large")
    assert "larger than" in problem["detail"]


@pytest.mark.parametrize(
    ("declared", "content"),
    [
        ("image/png", pdf_bytes()),  # a PDF calling itself an image
        ("application/pdf", b"just some text\n"),  # text calling itself a PDF
        ("text/plain", b"MZ\x90\x00" + b"\x00" * 200),  # a Windows executable calling itself text
        ("text/plain", png_bytes()),  # an image calling itself text
    ],
)
def test_a_lying_content_type_is_415(client, disk_storage, declared, content):
    response = post(client, {"attachment": ("file", declared, content)})
    problem = assert_is_problem(response, status=415, code="unsupported_media_type")
    assert problem["errors"][0]["attr"] == "attachment"
    assert not Document.objects.exists()


def test_a_multipart_body_without_a_readable_part_is_a_parse_error(client, disk_storage):
    body = b"--kitboundary\r\n0--kitboundary--\r\n"
    response = client.post(DOCUMENTS, body, content_type="multipart/form-data; boundary=kitboundary")
    assert_is_problem(response, status=400, code="parse_error")
    empty = client.post(
        DOCUMENTS, b"--kitboundary--\r\n", content_type="multipart/form-data; boundary=kitboundary"
    )
    assert_is_problem(empty, status=400, code="validation_error")  # an empty form: the title is missing


def test_a_type_the_field_does_not_accept_is_415_even_when_honest(client, disk_storage):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "a")
    response = post(client, {"attachment": ("a.zip", "application/zip", buffer.getvalue())})
    problem = assert_is_problem(response, status=415, code="unsupported_media_type")
    assert "application/zip" in problem["detail"]


def test_an_image_field_takes_images_only(client, disk_storage):
    response = post(client, {"picture": ("p.pdf", "application/pdf", pdf_bytes())})
    assert_is_problem(response, status=415, code="unsupported_media_type")


def test_a_file_without_a_declared_type_gets_the_type_of_its_bytes(client, disk_storage):
    response = post(client, {"attachment": ("scan", "application/octet-stream", pdf_bytes())})
    assert response.status_code == 201, response.content
    assert Document.objects.get().attachment.name.endswith(".pdf")


@pytest.mark.parametrize(
    "filename",
    ["../../../../etc/passwd.txt", "..\\\\..\\\\windows\\\\evil.txt", "/tmp/absolute.txt", "a\x00b.txt", "-"],
)
def test_a_path_traversal_name_is_neutralised(client, disk_storage, filename):
    response = post(client, {"attachment": (filename, "text/plain", b"hello\n")})
    assert response.status_code == 201, response.content
    name = Document.objects.get().attachment.name
    assert name.startswith("documents/")
    assert ".." not in name
    assert "/" not in name.removeprefix("documents/")
    stored = (disk_storage / name).resolve()
    assert stored.is_relative_to(disk_storage.resolve())
    assert stored.read_bytes() == b"hello\n"


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("../../etc/passwd", "text/plain", "passwd.txt"),
        ("..\\..\\boot.ini", "text/plain", "boot.ini.txt"),
        ("..", "text/plain", "file.txt"),
        ("", "application/pdf", "file.pdf"),
        (".bashrc", "text/plain", "bashrc.txt"),
        ("photo.php", "image/png", "photo.php.png"),
        ("photo.png", "image/png", "photo.png"),
        ("data.csv", "text/csv", "data.csv"),
        ("co\x00ntrol\n.txt", "text/plain", "control.txt"),
        ("blob.qqz", "application/octet-stream", "blob.qqz"),
        ("page.html", "application/octet-stream", "page.html.bin"),
        ("x" * 300 + ".txt", "text/plain", "x" * 76 + ".txt"),
    ],
)
def test_safe_names(name, content_type, expected):
    assert safe_name(name, content_type) == expected


def test_object_storage_down_is_503_and_writes_nothing(client, object_storage):
    down = storage_config(f"s3://kit-down?endpoint=http://127.0.0.1:{free_port()}&region=us-east-1")
    with override_settings(STORAGES={**object_storage, "default": down}):
        response = post(client, {"attachment": ("a.txt", "text/plain", b"hello\n")})
    problem = assert_is_problem(response, status=503, code="service_unavailable")
    assert "storage" in problem["detail"]
    assert not Document.objects.exists()


def test_object_storage_down_during_a_replacement_keeps_the_object_as_it_was(client, object_storage):
    created = post(client, {"attachment": ("a.txt", "text/plain", b"first\n")})
    assert created.status_code == 201, created.content
    document = Document.objects.get()
    down = storage_config(f"s3://kit-down?endpoint=http://127.0.0.1:{free_port()}&region=us-east-1")
    with override_settings(STORAGES={"default": down}):
        response = post(
            client,
            {"attachment": ("b.txt", "text/plain", b"second\n")},
            method="put",
            path=f"{DOCUMENTS}/{document.pk}",
        )
    assert_is_problem(response, status=503, code="service_unavailable")
    after = Document.objects.get()
    assert after.attachment.name == document.attachment.name
    assert default_storage.open(after.attachment.name).read() == b"first\n"
