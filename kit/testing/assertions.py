"""Assertions on response bodies: the success envelope and RFC 9457 problem details.

Both accept a decoded body (a dict) or a test response, check the shape the kit promises, and fail
with a message that names what differs and shows the body::

    items = assert_is_envelope(response, count=2, page=1)
    assert_is_problem(response, status=404, code="not_found")
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_MEMBERS = ("type", "title", "status", "detail", "instance", "code", "request_id")
ERROR_MEMBERS = ("attr", "code", "detail")
ERROR_LOCATIONS = ("pointer", "parameter")  # a JSON pointer into the body, or a query parameter
BODY_SHOWN_CHARS = 1000


def assert_is_envelope(
    body: Any,
    count: int | None = None,
    page: int | None = None,
    pages: int | None = None,
    page_size: int | None = None,
) -> Any:
    """Check that ``body`` is a success envelope ``{"data": ..., "meta": {"request_id": ...}}``.

    ``count``, ``page``, ``pages`` and ``page_size`` are compared with ``meta.pagination``; without
    pagination, ``count`` is compared with the number of items in ``data``. Returns ``data``.
    """
    __tracebackhide__ = True
    body = _decoded(body, "an envelope")
    _check(isinstance(body, dict), "the body is not a JSON object", body)
    _check(set(body) == {"data", "meta"}, f"members are {sorted(body)}, expected ['data', 'meta']", body)
    meta = body["meta"]
    _check(isinstance(meta, dict), "meta is not an object", body)
    _check(isinstance(meta.get("request_id"), str), "meta.request_id is missing or not a string", body)
    expected = {"count": count, "page": page, "pages": pages, "page_size": page_size}
    wanted = {name: value for name, value in expected.items() if value is not None}
    if not wanted:
        return body["data"]
    pagination = meta.get("pagination")
    if pagination is None and set(wanted) == {"count"}:
        _check(isinstance(body["data"], list), "data is not a list, so it has no count", body)
        _check(len(body["data"]) == count, f"data has {len(body['data'])} items, expected {count}", body)
        return body["data"]
    _check(isinstance(pagination, dict), f"meta.pagination is missing (checking {sorted(wanted)})", body)
    for name, value in wanted.items():
        actual = pagination.get(name)
        _check(actual == value, f"meta.pagination.{name} is {actual!r}, expected {value!r}", body)
    return body["data"]


def assert_is_problem(body: Any, status: int | None = None, code: str | None = None) -> dict[str, Any]:
    """Check that ``body`` is an RFC 9457 problem with the kit's members; returns the problem.

    ``status`` and ``code`` are compared with the body's members. Given a response, its status
    code and its ``Content-Type`` (``application/problem+json``) are checked too.
    """
    __tracebackhide__ = True
    if hasattr(body, "status_code"):
        response = body
        body = _decoded(response, "a problem")
        content_type = response.headers.get("Content-Type", "")
        _check(
            content_type.startswith(PROBLEM_CONTENT_TYPE),
            f"Content-Type is {content_type!r}, expected {PROBLEM_CONTENT_TYPE!r}",
            body,
        )
        if isinstance(body, dict):
            _check(
                body.get("status") == response.status_code,
                f"body status {body.get('status')!r} differs from the response's {response.status_code}",
                body,
            )
    _check(isinstance(body, dict), "the body is not a JSON object", body)
    missing = [member for member in PROBLEM_MEMBERS if member not in body]
    _check(not missing, f"members {missing} are missing", body)
    _check(isinstance(body["status"], int), "status is not an integer", body)
    _check(isinstance(body["code"], str) and body["code"], "code is not a non-empty string", body)
    if status is not None:
        _check(body["status"] == status, f"status is {body['status']!r}, expected {status!r}", body)
    if code is not None:
        _check(body["code"] == code, f"code is {body['code']!r}, expected {code!r}", body)
    if "errors" in body:
        _check_errors(body)
    return body


def _check_errors(body: Mapping[str, Any]) -> None:
    __tracebackhide__ = True
    errors = body["errors"]
    _check(isinstance(errors, list), "errors is not a list", body)
    for index, error in enumerate(errors):
        _check(isinstance(error, dict), f"errors[{index}] is not an object", body)
        missing = [member for member in ERROR_MEMBERS if member not in error]
        _check(not missing, f"errors[{index}] lacks {missing}", body)
        located = any(member in error for member in ERROR_LOCATIONS)
        _check(located, f"errors[{index}] has neither 'pointer' nor 'parameter'", body)


def _decoded(body: Any, expected: str) -> Any:
    """The JSON value of a response (or the body itself when it is already decoded)."""
    __tracebackhide__ = True
    if not hasattr(body, "status_code"):
        return body
    content = getattr(body, "content", b"")
    try:
        return json.loads(content)
    except ValueError:
        raise AssertionError(
            f"expected {expected}, but the {body.status_code} response body is not JSON: {content[:200]!r}"
        ) from None


def _check(condition: object, message: str, body: Any) -> None:
    __tracebackhide__ = True
    if not condition:
        raise AssertionError(f"{message}\nbody: {_shown(body)}")


def _shown(body: Any) -> str:
    text = json.dumps(body, indent=1, default=str, sort_keys=True)
    if len(text) > BODY_SHOWN_CHARS:
        return text[:BODY_SHOWN_CHARS] + f"... ({len(text) - BODY_SHOWN_CHARS} more characters)"
    return text
