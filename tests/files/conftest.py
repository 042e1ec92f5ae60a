"""Files tests: every upload test runs on the local disk and on a real S3 server (moto)."""

import io

import pytest
from PIL import Image

DOCUMENTS = "/api/files-test/documents"


@pytest.fixture(params=["disk", "s3"])
def storage(request):
    """The default storage of the test: a temporary folder, or a new bucket on the S3 server."""
    return request.getfixturevalue("disk_storage" if request.param == "disk" else "object_storage")


@pytest.fixture
def client(auth_client):
    return auth_client(rights=["documents:*"])


def png_bytes(size=(4, 4)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PDF")
    return buffer.getvalue()


def multipart(fields, files, boundary="kitboundary"):
    """A multipart/form-data body written by hand: file names and part types exactly as given."""
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content_type, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
