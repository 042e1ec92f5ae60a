"""Email end to end: messages captured by a real SMTP server (aiosmtpd) started by the tests."""

import logging
import ssl
import subprocess
import time
from email import message_from_bytes, policy

import django
import pytest
from aiosmtpd.controller import Controller

from kit import email
from kit.request_id import request_id_var
from tests.ops.processes import free_port

pytestmark = pytest.mark.slow


class Recorder:
    """aiosmtpd handler keeping every envelope it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self):
        return [
            message_from_bytes(envelope.original_content, policy=policy.default)
            for envelope in self.envelopes
        ]


def use_smtp(settings, port, **options):
    """Point Django's mail at 127.0.0.1:port: MAILERS on Django 6.1, EMAIL_* settings before."""
    if django.VERSION >= (6, 1):
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5, **options},
            }
        }
    else:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
        settings.EMAIL_USE_TLS = options.get("use_tls", False)


@pytest.fixture
def smtp(settings):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    settings.DEFAULT_FROM_EMAIL = "billing@service.example"
    yield recorder
    controller.stop()


def wait_for_messages(recorder, count=1, timeout=5):
    deadline = time.monotonic() + timeout
    while len(recorder.envelopes) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return recorder.messages()


def test_a_message_is_sent_with_its_recipients_html_and_attachment(smtp):
    message = email.EmailMessage(
        "Your invoice",
        "Please find your invoice attached.",
        to=["ada@example.com"],
        cc=["accounts@example.com"],
        bcc=["archive@example.com"],
        reply_to=["support@service.example"],
        html="<p>Please find your <b>invoice</b> attached.</p>",
    )
    message.attach("invoice.pdf", b"%PDF-1.4 fake", "application/pdf")

    email.send(message)

    [sent] = wait_for_messages(smtp)
    [envelope] = smtp.envelopes
    assert envelope.mail_from == "billing@service.example"
    assert sorted(envelope.rcpt_tos) == ["accounts@example.com", "ada@example.com", "archive@example.com"]
    assert sent["Subject"] == "Your invoice"
    assert sent["From"] == "billing@service.example"
    assert sent["To"] == "ada@example.com"
    assert sent["Cc"] == "accounts@example.com"
    assert sent["Reply-To"] == "support@service.example"
    assert sent["Bcc"] is None and b"archive@example.com" not in envelope.original_content
    assert sent.get_content_type() == "multipart/mixed"
    body, attachment = sent.get_payload()
    assert body.get_content_type() == "multipart/alternative"
    text, html = body.get_payload()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert text.get_content().strip() == "Please find your invoice attached."
    assert "<b>invoice</b>" in html.get_content()
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "invoice.pdf"
    assert attachment.get_content() == b"%PDF-1.4 fake"


def test_send_many_sends_each_message(smtp):
    email.send_many(
        [email.EmailMessage(f"Report {n}", "Attached.", to=[f"user{n}@example.com"]) for n in range(3)]
    )

    messages = wait_for_messages(smtp, 3)
    assert sorted(message["Subject"] for message in messages) == ["Report 0", "Report 1", "Report 2"]
    assert all(message.get_content_type() == "text/plain" for message in messages)


def test_send_template_renders_the_text_and_html_bodies(smtp):
    email.send_template("emails/welcome", {"name": "Ada <3"}, subject="Welcome", to=["ada@example.com"])

    [sent] = wait_for_messages(smtp)
    text, html = sent.get_payload()
    assert text.get_content().strip() == "Welcome, Ada <3!"
    assert "<h1>Welcome, Ada &lt;3!</h1>" in html.get_content()


def test_send_template_without_a_text_template_strips_the_html(smtp):
    email.send_template("emails/receipt", {"total": "12.50"}, subject="Receipt", to=["ada@example.com"])

    [sent] = wait_for_messages(smtp)
    text, html = sent.get_payload()
    assert text.get_content().strip() == "Total paid: 12.50"
    assert "<strong>12.50</strong>" in html.get_content()


def test_a_failing_send_is_retried_and_logged_with_the_request_id_never_raised(settings, caplog):
    use_smtp(settings, free_port())  # nothing listens there
    token = request_id_var.set("req-mail-42")
    try:
        with caplog.at_level(logging.WARNING):
            result = email.send(email.EmailMessage("Hello", "Hi", to=["ada@example.com"]))
    finally:
        request_id_var.reset(token)

    assert result.status == "FAILED"
    assert result.attempts == 5
    assert result.errors[-1].exception_class_path == "builtins.ConnectionRefusedError"
    failures = [
        record
        for record in caplog.records
        if record.name == "kit.tasks" and "req-mail-42" in record.getMessage()
    ]
    assert len(failures) == 5
    assert [record.levelname for record in failures] == ["WARNING"] * 4 + ["ERROR"]
    assert any(record.name == "kit.email" and "Hello" in record.getMessage() for record in caplog.records)


@pytest.fixture
def tls_certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1, trusted through SSL_CERT_FILE."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    try:
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"openssl cannot make a test certificate: {exc}")
    return cert, key


def test_smtp_with_starttls(settings, monkeypatch, tls_certificate):
    cert, key = tls_certificate
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    recorder = Recorder()
    controller = Controller(
        recorder, hostname="127.0.0.1", port=free_port(), tls_context=server_context, require_starttls=True
    )
    controller.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts the test certificate
    use_smtp(settings, controller.port, use_tls=True)
    try:
        email.send(email.EmailMessage("Over TLS", "Encrypted.", to=["ada@example.com"]))
        [sent] = wait_for_messages(recorder)
    finally:
        controller.stop()
    assert sent["Subject"] == "Over TLS"


def test_messages_survive_the_trip_through_the_task_queue():
    message = email.EmailMessage(
        "Trip",
        "Text body",
        to=["a@example.com"],
        bcc=["b@example.com"],
        html="<p>HTML</p>",
        headers={"X-Campaign": "spring"},
        attachments=[("notes.txt", "plain notes", "text/plain"), ("data.bin", b"\x00\xff", None)],
    )

    copy = email.message_from_dict(email.message_to_dict(message))

    assert copy.message().as_bytes().count(b"X-Campaign: spring") == 1
    assert (copy.subject, copy.body, copy.to, copy.bcc) == (
        "Trip",
        "Text body",
        ["a@example.com"],
        ["b@example.com"],
    )
    assert list(copy.alternatives) == list(message.alternatives)
    assert [tuple(a) for a in copy.attachments] == [tuple(a) for a in message.attachments]
