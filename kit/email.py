"""Email through Django's mail API, sent fire-and-forget by the task queue.

::

    from kit import email

    message = email.EmailMessage(
        "Your invoice", "Please find it attached.", to=["ada@example.com"], html="<p>Attached.</p>"
    )
    message.attach("invoice.pdf", pdf_bytes, "application/pdf")
    email.send(message)

    email.send_template("emails/welcome", {"user": user}, subject="Welcome", to=[user.email])

Sending runs in a task (:func:`send_email`): it is retried with backoff when the mail server fails,
and failures are logged with the request id of the request that sent it. The backend is Django's
(``EMAIL_URL``: ``MAILERS`` on Django 6.1, ``EMAIL_*`` settings before); the sender defaults to
``DEFAULT_FROM_EMAIL``.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable, Mapping, Sequence
from email.mime.base import MIMEBase
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.utils.html import strip_tags

from kit.rendering import render
from kit.tasks import TaskResult, retry, task

logger = logging.getLogger("kit.email")

Attachment = tuple[str, str | bytes, str | None]


class EmailMessage(EmailMultiAlternatives):
    """Django's email message with keyword recipients and an ``html`` alternative.

    ``bcc`` addresses receive the message but are never written in its headers. With ``html`` and
    attachments the MIME tree is ``multipart/mixed`` > (``multipart/alternative`` > text, HTML),
    attachments.
    """

    def __init__(
        self,
        subject: str = "",
        body: str = "",
        *,
        to: Sequence[str] | None = None,
        cc: Sequence[str] | None = None,
        bcc: Sequence[str] | None = None,
        reply_to: Sequence[str] | None = None,
        from_email: str | None = None,
        html: str | None = None,
        attachments: Iterable[Attachment] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            subject=subject,
            body=body,
            from_email=from_email,
            to=list(to or []),
            cc=list(cc or []),
            bcc=list(bcc or []),
            reply_to=list(reply_to or []),
            headers=dict(headers or {}),
        )
        if html is not None:
            self.attach_alternative(html, "text/html")
        for filename, content, mimetype in attachments or ():
            self.attach(filename, content, mimetype)


def send(message: EmailMultiAlternatives) -> TaskResult:
    """Send ``message`` in a task (fire and forget: errors are logged and retried, never raised)."""
    result: TaskResult = send_email.enqueue(message_to_dict(message))
    return result


def send_many(messages: Iterable[EmailMultiAlternatives]) -> list[TaskResult]:
    """Send each message in its own task (each is retried on its own)."""
    return [send(message) for message in messages]


def send_template(
    template_name: str,
    context: Mapping[str, Any] | None = None,
    *,
    subject: str,
    to: Sequence[str],
    **kwargs: Any,
) -> TaskResult:
    """Render ``<template_name>.txt`` and ``<template_name>.html`` with ``context`` and send them.

    Either template may be missing (not both); without a text template the text body is the HTML
    without its tags. Other keyword arguments are :class:`EmailMessage`'s.
    """
    text = _render_optional(f"{template_name}.txt", context)
    html = _render_optional(f"{template_name}.html", context)
    if text is None and html is None:
        raise TemplateDoesNotExist(f"{template_name}.txt, {template_name}.html")
    if text is None:
        assert html is not None
        text = strip_tags(html).strip()
    return send(EmailMessage(subject, text, to=to, html=html, **kwargs))


def _render_optional(name: str, context: Mapping[str, Any] | None) -> str | None:
    try:
        return render(name, **dict(context or {}))
    except TemplateDoesNotExist:
        return None


@retry(max_attempts=5, backoff=30)
@task
def send_email(message: dict[str, Any]) -> int:
    """The task that sends one message (serialized with :func:`message_to_dict`)."""
    email = message_from_dict(message)
    try:
        return email.send()
    except Exception as exc:
        logger.warning("Email %r to %s not sent: %s", email.subject, ", ".join(email.recipients()), exc)
        raise


def message_to_dict(message: EmailMultiAlternatives) -> dict[str, Any]:
    """A JSON-serializable copy of ``message`` (the argument of the sending task)."""
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            raise TypeError("Attach files with attach(filename, content, mimetype) to send them in a task")
        filename, content, mimetype = attachment
        attachments.append({"filename": filename, "mimetype": mimetype, **_encode(content)})
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            {"mimetype": mimetype, **_encode(content)} for content, mimetype in message.alternatives
        ],
        "attachments": attachments,
    }


def message_from_dict(data: Mapping[str, Any]) -> EmailMessage:
    """The message serialized by :func:`message_to_dict`."""
    message = EmailMessage(
        data["subject"],
        data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for alternative in data["alternatives"]:
        message.attach_alternative(_decode(alternative), alternative["mimetype"])
    for attachment in data["attachments"]:
        message.attach(attachment["filename"], _decode(attachment), attachment["mimetype"])
    return message


def _encode(content: object) -> dict[str, str]:
    if isinstance(content, bytes):
        return {"base64": base64.b64encode(content).decode("ascii")}
    if isinstance(content, str):
        return {"text": content}
    raise TypeError(f"Cannot send {type(content).__name__} content in a task: use text or bytes")


def _decode(data: Mapping[str, str]) -> str | bytes:
    return base64.b64decode(data["base64"]) if "base64" in data else data["text"]
