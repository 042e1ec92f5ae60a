"""A synchronous WebSocket test client over the project's ASGI application (no server needed).

``ws_client(path, user=None, headers=None)`` (the fixture) connects to ``path`` (``/ws/v1/events``)
through asgiref's ``ApplicationCommunicator``, as ``user`` when given (real credentials, as
``auth_client`` makes them). The application runs in an event loop of its own thread, so tests stay
synchronous; its database work runs in other threads, hence the fixture's ``transactional_db``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Coroutine, Iterator
from typing import Any

from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.db import connections
from django.utils.module_loading import import_string

from kit.testing.assertions import assert_is_problem


class EventLoopThread:
    """An event loop running in a daemon thread; :meth:`run` waits for a coroutine's result."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kit-ws-client", daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float = 10) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        """Cancel what still runs on the loop (the process channel's tasks...), then stop and close it.

        As ``asyncio.run`` does: tasks left pending on a loop that is gone are finalised by the
        garbage collector at exit, which crashed Python 3.11.
        """
        self.run(_cancel_pending_tasks())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        if not self.thread.is_alive():
            self.loop.close()


async def _cancel_pending_tasks() -> None:
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class WSClient:
    """One connection: :meth:`send`, :meth:`receive`, :meth:`assert_problem`, :meth:`closed`."""

    def __init__(self, loop: EventLoopThread, application: Any, path: str, headers: dict[str, str]) -> None:
        self.loop = loop
        scope = {
            "type": "websocket",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [(name.lower().encode(), value.encode()) for name, value in headers.items()],
            "subprotocols": [],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        self.communicator = ApplicationCommunicator(application, scope)
        self.close_code: int | None = None
        loop.run(self.communicator.send_input({"type": "websocket.connect"}))
        accepted = loop.run(self.communicator.receive_output(5), 10)
        assert accepted["type"] == "websocket.accept", accepted

    def send(self, message: dict[str, Any] | str) -> None:
        """Send a message (a dict is sent as JSON text, a string as is)."""
        text = message if isinstance(message, str) else json.dumps(message)
        self.loop.run(self.communicator.send_input({"type": "websocket.receive", "text": text}))

    def receive(self, timeout: float = 3) -> dict[str, Any]:
        """The next message from the server (AssertionError when the socket closes instead)."""
        output = self.loop.run(self.communicator.receive_output(timeout), timeout + 5)
        if output["type"] == "websocket.close":
            self.close_code = output.get("code", 1000)
            raise AssertionError(f"the server closed the connection ({self.close_code})")
        result: dict[str, Any] = json.loads(output.get("text") or output.get("bytes"))
        return result

    def receive_nothing(self, timeout: float = 0.3) -> bool:
        """True when the server sends nothing within ``timeout`` seconds."""
        return bool(self.loop.run(self.communicator.receive_nothing(timeout), timeout + 5))

    def assert_problem(self, status: int, code: str, timeout: float = 3) -> dict[str, Any]:
        """Receive an error message and check its problem; answer the problem."""
        message = self.receive(timeout)
        assert message.get("type") == "error", message
        problem: dict[str, Any] = message["problem"]
        assert_is_problem(problem, status=status, code=code)
        return problem

    def closed(self, timeout: float = 3) -> int:
        """Wait for the server to close the connection (skipping messages); answer the close code."""
        while self.close_code is None:
            output = self.loop.run(self.communicator.receive_output(timeout), timeout + 5)
            if output["type"] == "websocket.close":
                self.close_code = output.get("code", 1000)
        return self.close_code

    def disconnect(self) -> None:
        """Close the connection (or acknowledge the server's close) and let the application finish."""
        code = self.close_code or 1000
        self.loop.run(self.communicator.send_input({"type": "websocket.disconnect", "code": code}))
        self.loop.run(self.communicator.wait(5), 10)


def headers_for(user: Any, authentication: type | str | None = None) -> dict[str, str]:
    """Credential headers of ``user`` for the project's authentication (as ``auth_client`` sends)."""
    from kit.testing.client import APIClient
    from kit.testing.credentials import authenticate

    client = APIClient()
    authenticate(client, user, authentication)
    headers = {}
    for key, value in client._credentials.items():  # type: ignore[attr-defined]
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-")] = value
    return headers


def ws_clients(application: Any = None) -> Iterator[Any]:
    """The body of the ``ws_client`` fixture: a factory of connected clients, all closed at the end."""
    from kit.realtime.rights import forget_permissions
    from kit.testing.users import create_user

    application = application or import_string(settings.ASGI_APPLICATION)
    forget_permissions()  # a user of an earlier test may have had the same primary key
    loop = EventLoopThread()
    clients: list[WSClient] = []

    def connect(
        path: str,
        user: Any = None,
        *,
        permissions: Any = (),
        rights: Any = (),
        headers: dict[str, str] | None = None,
        authentication: type | str | None = None,
    ) -> WSClient:
        if user is None and (permissions or rights):
            user = create_user(permissions=permissions, rights=rights)
        all_headers = {**(headers_for(user, authentication) if user is not None else {}), **(headers or {})}
        client = WSClient(loop, application, path, all_headers)
        client.user = user  # type: ignore[attr-defined]
        clients.append(client)
        return client

    try:
        yield connect
    finally:
        for client in clients:
            with contextlib.suppress(Exception):  # the application may have ended already
                client.disconnect()
        # The application's database work ran in asgiref's thread: close its connections there,
        # so that the test database can be dropped.
        loop.run(sync_to_async(connections.close_all, thread_sensitive=True)())
        loop.stop()
