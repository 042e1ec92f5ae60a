"""``Upstream``: the client of one named upstream, pooled (httpx) and resilient.

    users = upstream("users")
    user = users.get(f"/api/v1/users/{pk}").data
    created = users.post("/api/v1/users", json={"username": "ada"}).data

A call picks the members round-robin, skipping those whose circuit breaker is open, and fails over
to the next member when a connection cannot be opened (nothing was sent). Each attempt has connect
and read timeouts; retries follow :mod:`kit.services.retry`; the whole call ends by its deadline.
Response bodies are read up to ``MAX_RESPONSE_SIZE`` bytes. See docs/services.md.
"""

from __future__ import annotations

import functools
import itertools
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from django.core.signals import setting_changed

from kit.api.renderers import dumps
from kit.conf import kit_settings
from kit.services import observe
from kit.services.breaker import CircuitBreaker
from kit.services.config import UpstreamConfig, upstream_config
from kit.services.deadline import ends_by
from kit.services.errors import (
    UpstreamBadResponse,
    UpstreamError,
    UpstreamProblem,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from kit.services.headers import context_headers
from kit.services.response import UpstreamResponse, decode
from kit.services.retry import call_with_retries, is_idempotent
from kit.services.rpc import RPCProxy

MAX_CONNECTIONS = 100  # per upstream and process; a gather or threads beyond wait for a free one


@dataclass(frozen=True)
class Member:
    """One base URL of an upstream and its circuit breaker."""

    url: str
    breaker: CircuitBreaker


class _ConnectFailed(Exception):
    """A member could not be connected to: the call fails over to the next member."""


class Upstream:
    """The client of one upstream; get one with :func:`upstream` (one per name and process)."""

    def __init__(self, config: UpstreamConfig) -> None:
        self.config = config
        self.name = config.name
        self.members = [
            Member(
                url,
                CircuitBreaker(
                    f"upstream {config.name} {url}",
                    threshold=config.breaker_threshold,
                    reset=config.breaker_reset,
                    on_change=functools.partial(observe.breaker_changed, config.name, url),
                ),
            )
            for url in config.members
        ]
        self._turn = itertools.count()
        self._http = httpx.Client(
            follow_redirects=True,
            max_redirects=kit_settings.UPSTREAM_MAX_REDIRECTS,
            limits=httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=20),
            trust_env=False,  # no proxies or .netrc credentials picked up from the environment
        )

    @property
    def rpc(self) -> RPCProxy:
        """JSON-RPC calls to the upstream's ``/api/rpc``: ``upstream("calc").rpc.calc.add(1, 2)``."""
        return RPCProxy(self)

    def get(self, path: str, *, params: Mapping[str, Any] | None = None, **options: Any) -> UpstreamResponse:
        return self.request("GET", path, params=params, **options)

    def post(self, path: str, json: Any = None, **options: Any) -> UpstreamResponse:
        return self.request("POST", path, json=json, **options)

    def put(self, path: str, json: Any = None, **options: Any) -> UpstreamResponse:
        return self.request("PUT", path, json=json, **options)

    def patch(self, path: str, json: Any = None, **options: Any) -> UpstreamResponse:
        return self.request("PATCH", path, json=json, **options)

    def delete(self, path: str, **options: Any) -> UpstreamResponse:
        return self.request("DELETE", path, **options)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        forward_auth: bool = False,
        deadline: float | None = None,
    ) -> UpstreamResponse:
        """Call ``method path`` (relative to the upstream's base URL) and decode the JSON answer.

        ``deadline`` (seconds) overrides the upstream's ``DEADLINE`` for this call; an enclosing
        :func:`kit.services.deadline` block shortens it. Raises :class:`UpstreamError` subclasses.
        """
        method = method.upper()
        if "://" in path or path.startswith("//"):
            raise ValueError(f"Upstream paths are relative to the upstream's URL, not {path!r}")
        ends = ends_by(self.config.deadline if deadline is None else deadline)
        outgoing = context_headers(self.config, forward_auth=forward_auth)
        content = None
        if json is not None:
            content = dumps(json)
            outgoing["Content-Type"] = "application/json"
        outgoing.update(headers or {})
        relative = path.lstrip("/")

        def attempt() -> UpstreamResponse:
            return self._attempt(method, relative, params, content, outgoing, ends)

        def on_retry(error: UpstreamError, wait: float) -> None:
            observe.retrying(self.name, method, relative, wait, str(error.detail))

        return call_with_retries(
            attempt,
            retries=self.config.retries,
            ends=ends,
            idempotent=is_idempotent(method, outgoing),
            on_retry=on_retry,
        )

    def open(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        content: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send a request and return the upstream's answer unread (the caller streams and closes it).

        For proxying: one attempt, no retry (a streamed body cannot be sent twice), failing over to
        the next member when a connection cannot be opened; an error status is returned, not raised.
        """
        ends = ends_by(self.config.deadline)
        relative = path.lstrip("/")
        start = next(self._turn) % len(self.members)
        for member in self.members[start:] + self.members[:start]:
            if not member.breaker.allow():
                continue
            request = self._http.build_request(
                method,
                member.url + relative,
                params=params,
                content=content,
                headers=headers,
                timeout=httpx.Timeout(self.config.timeout, connect=self.config.connect_timeout),
            )
            started = time.perf_counter()
            try:
                response = self._http.send(request, stream=True, follow_redirects=False)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                member.breaker.failure()
                observe.attempt_done(
                    self.name,
                    method,
                    str(request.url),
                    "connect_error",
                    time.perf_counter() - started,
                    str(exc),
                )
                if _is_tls_failure(exc) or time.monotonic() >= ends:
                    break
                continue
            except httpx.TimeoutException as exc:
                member.breaker.failure()
                observe.attempt_done(
                    self.name, method, str(request.url), "timeout", time.perf_counter() - started, str(exc)
                )
                raise self._deadline_passed() from exc
            except httpx.HTTPError as exc:
                member.breaker.failure()
                raise UpstreamBadResponse(
                    self.name, f"The upstream service {self.name!r} broke the connection."
                ) from exc
            if response.status_code >= 500:
                member.breaker.failure()
            else:
                member.breaker.success()
            observe.attempt_done(
                self.name, method, str(request.url), str(response.status_code), time.perf_counter() - started
            )
            return response
        detail = f"No member of the upstream service {self.name!r} could be reached."
        raise UpstreamUnavailable(self.name, detail)

    def close(self) -> None:
        self._http.close()

    # One attempt: the members in turn, failing over while connections cannot be opened.
    def _attempt(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        content: bytes | None,
        headers: Mapping[str, str],
        ends: float,
    ) -> UpstreamResponse:
        start = next(self._turn) % len(self.members)
        unreachable: list[str] = []
        for member in self.members[start:] + self.members[:start]:
            if time.monotonic() >= ends:
                raise self._deadline_passed()
            if not member.breaker.allow():
                continue
            try:
                return self._call(member, method, path, params, content, headers, ends)
            except _ConnectFailed as failure:
                unreachable.append(str(failure))
        if unreachable:
            raise UpstreamUnavailable(
                self.name,
                f"No member of the upstream service {self.name!r} could be reached.",
                transient=True,
                unsent=True,
            )
        retry_in = min(member.breaker.retry_in() for member in self.members)
        raise UpstreamUnavailable(
            self.name,
            f"The upstream service {self.name!r} is failing: its circuit breakers are open.",
            retry_after=retry_in,
        )

    def _call(
        self,
        member: Member,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        content: bytes | None,
        headers: Mapping[str, str],
        ends: float,
    ) -> UpstreamResponse:
        """One HTTP exchange with ``member``; its outcome is reported to the member's breaker."""
        url = member.url + path
        remaining = max(ends - time.monotonic(), 0.001)
        timeout = httpx.Timeout(
            min(self.config.timeout, remaining), connect=min(self.config.connect_timeout, remaining)
        )
        started = time.perf_counter()
        healthy = False
        outcome = "error"
        error = ""
        try:
            try:
                with self._http.stream(
                    method, url, params=params, content=content, headers=headers, timeout=timeout
                ) as response:
                    body = self._read(response, ends)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if _is_tls_failure(exc):
                    outcome, error = "tls_error", f"TLS failure: {exc}"
                    raise UpstreamBadResponse(
                        self.name, f"The TLS connection to the upstream service {self.name!r} failed."
                    ) from exc
                outcome, error = "connect_error", f"cannot connect: {exc or type(exc).__name__}"
                raise _ConnectFailed(error) from exc
            except httpx.TimeoutException as exc:
                outcome, error = "timeout", f"{type(exc).__name__}: no answer in time"
                raise UpstreamTimeout(
                    self.name,
                    f"The upstream service {self.name!r} did not answer in time.",
                    transient=True,
                    unsent=isinstance(exc, httpx.PoolTimeout),
                ) from exc
            except httpx.TooManyRedirects as exc:
                healthy = True
                outcome, error = "bad_response", "too many redirects"
                raise UpstreamBadResponse(
                    self.name, f"The upstream service {self.name!r} redirected in a loop."
                ) from exc
            except httpx.HTTPError as exc:
                outcome, error = "bad_response", f"{type(exc).__name__}: {exc}"
                raise UpstreamBadResponse(
                    self.name, f"The upstream service {self.name!r} broke the connection.", transient=True
                ) from exc
            except UpstreamError as exc:  # from _read: too large, or past the deadline
                healthy = not isinstance(exc, UpstreamTimeout)
                outcome, error = ("timeout" if not healthy else "bad_response"), str(exc.detail)
                raise
            status = response.status_code
            healthy = status < 500
            outcome = str(status)
            try:
                return decode(
                    self.name, status, response.headers, body, retry_after_max=max(ends - time.monotonic(), 0)
                )
            except UpstreamProblem as exc:
                if status >= 500:
                    error = f"answered {status} {exc.upstream_code} (its request {exc.upstream_request_id})"
                raise
            except UpstreamBadResponse as exc:
                outcome, error = "bad_response", str(exc.detail)
                raise
        finally:
            if healthy:
                member.breaker.success()
            else:
                member.breaker.failure()
            observe.attempt_done(self.name, method, url, outcome, time.perf_counter() - started, error)

    def _read(self, response: httpx.Response, ends: float) -> bytes:
        """The body, at most ``MAX_RESPONSE_SIZE`` bytes, read by the deadline."""
        limit = self.config.max_response_size
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise self._too_large(limit)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise self._too_large(limit)
            if time.monotonic() >= ends:
                raise self._deadline_passed()
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, limit: int) -> UpstreamBadResponse:
        return UpstreamBadResponse(
            self.name, f"The upstream service {self.name!r} answered more than {limit} bytes."
        )

    def _deadline_passed(self) -> UpstreamTimeout:
        return UpstreamTimeout(self.name, f"The upstream service {self.name!r} did not answer in time.")


def _is_tls_failure(exc: BaseException) -> bool:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


_clients: dict[str, Upstream] = {}
_clients_lock = threading.Lock()


def upstream(name: str) -> Upstream:
    """The client of the upstream ``name`` (``SERVICE_<NAME>_URL``), one per process."""
    client = _clients.get(name)
    if client is None:
        with _clients_lock:
            client = _clients.get(name)
            if client is None:
                client = _clients[name] = Upstream(upstream_config(name))
    return client


def reset_clients() -> None:
    """Close every client: the next call builds it again from the settings (new breakers too)."""
    with _clients_lock:
        for client in _clients.values():
            client.close()
        _clients.clear()


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "KIT":
        reset_clients()


setting_changed.connect(_settings_changed, dispatch_uid="kit.services.client.settings_changed")
