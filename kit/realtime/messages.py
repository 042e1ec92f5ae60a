"""The JSON messages a WebSocket server sends, and the problems of bad client messages.

Server messages are ``{"type": ..., "data": ..., "meta": {"request_id": ...}}``; errors are
``{"type": "error", "problem": {...}}`` where the problem is the RFC 9457 body the HTTP API answers
for the same exception (built by :mod:`kit.errors.problems`, so every code, title and ``type`` URI is
the API's).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from rest_framework.exceptions import ParseError

from kit.api.renderers import dumps
from kit.errors.exceptions import Problem
from kit.errors.problems import get_handler


class InvalidMessage(Problem):
    """400 ``invalid_message``: a JSON value that is not a message this endpoint understands."""

    def __init__(self, detail: str) -> None:
        super().__init__(400, "invalid_message", detail)


class MessageTooLarge(Problem):
    """413 ``payload_too_large``: a message over ``WS_MAX_MESSAGE_SIZE`` (the socket is closed 1009)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, "payload_too_large", f"A message may hold at most {limit} bytes.")


def server_message(message_type: str, data: Any, request_id: str | None) -> str:
    """A server message as JSON text."""
    return dumps({"type": message_type, "data": data, "meta": {"request_id": request_id}}).decode()


def error_message(exc: BaseException, request: HttpRequest | None) -> str:
    """The error message for ``exc``: the problem body the HTTP API would answer, as JSON text."""
    handler = get_handler(exc, request)
    body = handler.body(handler.run())
    return dumps({"type": "error", "problem": body}).decode()


def parse_message(text: str) -> dict[str, Any]:
    """The client message in ``text``: raise ``ParseError`` (not JSON) or :class:`InvalidMessage`."""
    try:
        message = json.loads(text)
    except ValueError as error:
        raise ParseError(f"The message is not valid JSON: {error}.") from error
    if not isinstance(message, dict):
        raise InvalidMessage("A message must be a JSON object.")
    if not isinstance(message.get("type"), str) or not message["type"]:
        raise InvalidMessage('A message must have a "type" (a string).')
    return message
