"""Stub upstream services by name in tests (respx underneath): the ``upstreams`` fixture.

    def test_profile(api_client, upstreams):
        users = upstreams.stub("users")
        users.get("/api/v1/users/7").mock(return_value=envelope({"id": 7, "name": "Ada"}))
        users.get("/api/v1/users/8").mock(return_value=problem(404, "not_found"))
        ...
        assert users.calls.last.request.headers["X-Request-ID"]

``stub(name)`` gives a router for the upstream's members: ``get/post/put/patch/delete(path)``
return respx routes (``.mock(return_value=...)``, ``.mock(side_effect=httpx.ConnectError)``,
``.called``, ``.calls``). An upstream the settings do not name is configured for the test at
``http://<name>.upstream.test``. A call that no route matches fails the test. Circuit breakers
start closed in every test.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import httpx
import respx
from django.conf import settings
from django.test.utils import override_settings

from kit.services.client import reset_clients
from kit.services.config import upstream_config

PROBLEM_TYPE_BASE = "https://django-service-kit.dev/problems/"


def envelope(
    data: Any,
    *,
    meta: Mapping[str, Any] | None = None,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """A kit service's success answer: ``{"data": data, "meta": {"request_id": ..., **meta}}``."""
    body = {"data": data, "meta": {"request_id": "stub-request-id", **(meta or {})}}
    return httpx.Response(status, json=body, headers=headers)


def problem(
    status: int,
    code: str,
    detail: str | None = None,
    *,
    request_id: str = "stub-request-id",
    headers: Mapping[str, str] | None = None,
    **members: Any,
) -> httpx.Response:
    """A kit service's problem answer (``application/problem+json``), extra members as keywords."""
    from kit.errors.exceptions import TITLES

    body = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": TITLES.get(code, code.replace("_", " ").capitalize()),
        "status": status,
        "detail": detail or TITLES.get(code, code),
        "code": code,
        "request_id": request_id,
        **members,
    }
    content_type = {"Content-Type": "application/problem+json"}
    return httpx.Response(status, json=body, headers={**content_type, **(headers or {})})


class UpstreamStub:
    """The routes of one upstream: each matches a method and a path under any of its members."""

    def __init__(self, router: respx.MockRouter, name: str, members: tuple[str, ...]) -> None:
        self.router = router
        self.name = name
        self.members = members

    def route(self, method: str, path: str) -> respx.Route:
        bases = "|".join(re.escape(member) for member in self.members)
        pattern = rf"^(?:{bases}){re.escape(path.lstrip('/'))}(?:\?.*)?$"
        return self.router.route(method=method.upper(), url__regex=pattern)

    def get(self, path: str) -> respx.Route:
        return self.route("GET", path)

    def post(self, path: str) -> respx.Route:
        return self.route("POST", path)

    def put(self, path: str) -> respx.Route:
        return self.route("PUT", path)

    def patch(self, path: str) -> respx.Route:
        return self.route("PATCH", path)

    def delete(self, path: str) -> respx.Route:
        return self.route("DELETE", path)

    @property
    def calls(self) -> respx.models.CallList:
        """Every call to this upstream's members, matched or not."""
        members = self.members
        return respx.models.CallList(
            [call for call in self.router.calls if str(call.request.url).startswith(members)]
        )


class UpstreamStubs:
    """Entered, it intercepts every httpx request of the process; ``stub(name)`` declares routes."""

    def __init__(self) -> None:
        self.router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True)
        self._overrides: list[override_settings] = []

    def stub(self, name: str, *urls: str) -> UpstreamStub:
        """Routes for upstream ``name``; ``urls`` (or an unconfigured name) sets its members."""
        upstreams = (getattr(settings, "KIT", None) or {}).get("UPSTREAMS") or {}
        if urls or name not in upstreams:
            entry = {**upstreams.get(name, {}), "URL": list(urls or [f"http://{name}.upstream.test"])}
            kit = {**(getattr(settings, "KIT", None) or {}), "UPSTREAMS": {**upstreams, name: entry}}
            override = override_settings(KIT=kit)
            override.enable()
            self._overrides.append(override)
        return UpstreamStub(self.router, name, upstream_config(name).members)

    def __enter__(self) -> UpstreamStubs:
        reset_clients()
        self.router.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.router.stop()
        for override in reversed(self._overrides):
            override.disable()
        reset_clients()
