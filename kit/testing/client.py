"""A DRF test client whose responses decode the kit's envelopes and problems.

Every response gets three attributes, read from the body the client received (after rendering):

- ``response.data``: the envelope's ``data`` (or the whole JSON body of an unwrapped view);
- ``response.meta``: the envelope's ``meta`` (``None`` for unwrapped bodies);
- ``response.problem``: the problem details of an ``application/problem+json`` response.

``response.json()`` still returns the raw body. Requests send JSON unless ``format=`` says otherwise.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpResponse, HttpResponseBase
from rest_framework import test

JSON_CONTENT_TYPE = re.compile(r"^application/([a-z0-9.+-]+\+)?json", re.IGNORECASE)
PROBLEM_CONTENT_TYPE = re.compile(r"^application/problem\+json", re.IGNORECASE)
ENVELOPE_MEMBERS = frozenset({"data", "meta"})


class APIClient(test.APIClient):
    """``rest_framework.test.APIClient`` sending JSON and decoding envelopes and problems."""

    default_format = "json"
    user: Any = None  # the user auth_client authenticated as

    def request(self, **kwargs: Any) -> Any:
        response = super().request(**kwargs)
        decode_body(response)
        return response


def decode_body(response: HttpResponseBase) -> None:
    """Set ``data``, ``meta`` and ``problem`` on ``response`` from its JSON body."""
    data = meta = problem = None
    content_type = response.headers.get("Content-Type", "")
    if isinstance(response, HttpResponse) and JSON_CONTENT_TYPE.match(content_type) and response.content:
        try:
            body = json.loads(response.content)
        except ValueError:  # left to response.json() to report
            body = None
        if PROBLEM_CONTENT_TYPE.match(content_type):
            problem = body
        elif isinstance(body, dict) and set(body) == ENVELOPE_MEMBERS:
            data, meta = body["data"], body["meta"]
        else:
            data = body
    response.data = data  # type: ignore[attr-defined]
    response.meta = meta  # type: ignore[attr-defined]
    response.problem = problem  # type: ignore[attr-defined]
