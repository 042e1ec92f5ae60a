"""``gather(*calls)``: run calls concurrently under one deadline (Atila's ``Tasks``).

    users, orders = gather(
        lambda: upstream("users").get(f"/api/v1/users/{pk}"),
        lambda: upstream("orders").get("/api/v1/orders", params={"user": pk}),
        timeout=2.0,
    )

Each call runs in a thread of a pool of at most ``limit`` threads, in a copy of the caller's
context (request id, forwarded credentials and trace context go along) and under the deadline
(:mod:`kit.services.deadline`): upstream calls end by it. The result list has one entry per call,
in order: its value or the exception it raised (:class:`UpstreamTimeout` for a call still running
when the deadline passed, which is left to finish in its thread). Usable from sync views and tasks.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from django.db import connections

from kit.services.deadline import deadline
from kit.services.errors import UpstreamTimeout

DEFAULT_LIMIT = 10


def gather(*calls: Callable[[], Any], limit: int = DEFAULT_LIMIT, timeout: float | None = None) -> list[Any]:
    """Run ``calls`` concurrently (at most ``limit`` at a time) and return their results or errors.

    ``timeout`` (seconds) is the deadline of them all; None keeps each call's own deadline.
    """
    if not calls:
        return []
    if limit < 1:
        raise ValueError("gather() needs a limit of at least 1")
    with deadline(timeout if timeout is not None else float("inf")) as ends:
        pool = ThreadPoolExecutor(max_workers=min(limit, len(calls)), thread_name_prefix="kit-gather")
        try:
            futures = [pool.submit(contextvars.copy_context().run, _run, call) for call in calls]
            return [_outcome(future, ends) for future in futures]
        finally:
            pool.shutdown(wait=False, cancel_futures=True)


def _run(call: Callable[[], Any]) -> Any:
    try:
        return call()
    finally:
        connections.close_all()  # a call that used the ORM leaves no connection in the thread


def _outcome(future: Future[Any], ends: float) -> Any:
    try:
        return future.result(timeout=None if ends == float("inf") else max(ends - time.monotonic(), 0))
    except FutureTimeout:
        future.cancel()
        return UpstreamTimeout("gather", "The calls did not finish before their deadline.")
    except Exception as error:
        return error
