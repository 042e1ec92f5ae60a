"""gunicorn's ``sync`` and ``gthread`` workers, answering on a graceful stop the connections already
waiting in the listen queue (``manage.py serve`` uses them instead of gunicorn's own).

On SIGTERM gunicorn's workers finish the requests they hold and exit; the connections the kernel had
already accepted for the server, queued until a worker takes them, were reset when the last worker
closed the listening socket. These workers first take every connection still queued and answer it
(within ``graceful_timeout``, like the requests in flight): a client that connected before the stop
gets its answer. Connections that arrive once the workers are gone are refused: take the server out
of the load balancer first (a failing readiness probe, a preStop delay).
"""

from __future__ import annotations

import select
from typing import Any

from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker


def has_queued_connection(listener: Any) -> bool:
    """Whether a connection waits in the queue of ``listener`` (a listening socket, or gunicorn's
    wrapper of one): a listening socket reads as ready then."""
    return bool(select.select([listener], [], [], 0)[0])


class DrainingSyncWorker(SyncWorker):
    """gunicorn's ``sync`` worker, answering the queued connections before it exits."""

    def run(self) -> None:
        super().run()
        for listener in self.sockets:
            while has_queued_connection(listener):
                self.notify()
                try:
                    self.accept(listener)
                except (BlockingIOError, ConnectionAbortedError):
                    continue  # another worker took it, or its client gave up


class DrainingThreadWorker(ThreadWorker):
    """gunicorn's ``gthread`` worker, taking the queued connections when a graceful stop turns
    accepting off; it then answers them with the requests in flight."""

    def set_accept_enabled(self, enabled: bool) -> None:
        if not enabled and not self.alive:
            for listener in self.sockets:
                while has_queued_connection(listener):
                    self.accept(listener)  # ignores a connection another worker took meanwhile
        super().set_accept_enabled(enabled)
