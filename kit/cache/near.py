"""A near cache: raw values of Redis keys under some prefixes, kept in this process and dropped as
soon as Redis reports them changed (client-side caching: ``CLIENT TRACKING`` in broadcasting mode).

One connection per process is subscribed to Redis's invalidation messages for the prefixes. Every
lookup first applies the messages already received (a non-blocking read), so a value changed
before the lookup began is not served once Redis's message has arrived: Redis sends it in the
same turn as its reply to the writer. Values are served only while the connection is known to
work: it is pinged every second, and values wait for a pong less than ``TRUST_SECONDS`` old. A
broken connection, a flush or a full store drop values; a process forked from another starts
empty. Absent keys are remembered too (as None), since creating them is reported as well.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from redis.connection import AbstractConnection
from redis.exceptions import RedisError, ResponseError

logger = logging.getLogger("kit.cache")

INVALIDATION_CHANNEL = b"__redis__:invalidate"
PING_SECONDS = 1.0  # a ping is sent at most this often, while lookups happen
TRUST_SECONDS = 3.0  # values are served while the last pong is at most this old
RETRY_SECONDS = 1.0  # after a failed connection, wait this long before trying again
REFUSED_RETRY_SECONDS = 60.0  # after Redis refused to track keys
READ_SECONDS = 0.5  # longest wait for the rest of a message that began to arrive


class NearCache:
    """Raw values of keys starting with ``prefixes``, valid while Redis reports no change to them.

    ``connect`` opens a new RESP2 connection to the Redis holding the keys. Thread-safe.
    """

    def __init__(
        self,
        connect: Callable[[], AbstractConnection],
        prefixes: Iterable[str],
        max_entries: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.prefixes = tuple(prefixes)
        self.max_entries = max_entries
        self._connect = connect
        self._clock = clock
        self._lock = threading.Lock()
        self._values: dict[str, bytes | None] = {}
        self._generation = 0  # counts changes: a value read before one is not stored
        self._connection: AbstractConnection | None = None
        self._pid = os.getpid()
        self._retry_at = 0.0
        self._pong_at = 0.0  # when Redis last answered on the connection
        self._ping_at: float | None = None  # when the unanswered ping was sent
        self._off = False  # a failure was logged: the next one is not, until it works again

    def holds(self, key: str) -> bool:
        """Whether ``key`` (a Redis key) is one this cache keeps."""
        return key.startswith(self.prefixes)

    def lookup(self, keys: Iterable[str]) -> tuple[dict[str, bytes | None], int]:
        """The values held for ``keys`` (None: the key is absent), and the generation to pass to
        :meth:`store` with the values read from Redis for the others."""
        with self._lock:
            trusted = self._refresh()
            if not trusted:
                return {}, self._generation
            values = self._values
            return {key: values[key] for key in keys if key in values}, self._generation

    def store(self, generation: int, values: Mapping[str, bytes | None]) -> None:
        """Keep ``values`` read from Redis, unless a change was reported since ``generation``."""
        with self._lock:
            self._refresh()
            if generation != self._generation or self._connection is None:
                return
            for key, value in values.items():
                if self.holds(key):
                    if key not in self._values and len(self._values) >= self.max_entries:
                        del self._values[next(iter(self._values))]  # the oldest
                    self._values[key] = value

    def forget(self, keys: Iterable[str] | None = None) -> None:
        """Drop ``keys`` (all when None): this process changed them."""
        with self._lock:
            self._forget(keys)

    def _forget(self, keys: Iterable[str] | None) -> None:
        self._generation += 1
        if keys is None:
            self._values.clear()
            return
        for key in keys:
            self._values.pop(key, None)

    def _refresh(self) -> bool:
        """Apply the messages received; whether the held values may be served."""
        if self._pid != os.getpid():
            self._after_fork()
        now = self._clock()
        if self._connection is None and not self._open(now):
            return False
        connection = self._connection
        assert connection is not None
        try:
            while connection.can_read(timeout=0):
                self._receive(connection.read_response(timeout=READ_SECONDS), now)
            if self._ping_at is None and now - self._pong_at >= PING_SECONDS:
                connection.send_command("PING")
                self._ping_at = now
        except Exception as error:  # whatever went wrong, the values are no longer trusted
            self._close(now, f"lost the invalidation connection ({error!r})")
            return False
        if self._ping_at is not None and now - self._ping_at > TRUST_SECONDS:
            self._close(now, f"no answer to a ping in {TRUST_SECONDS:.0f} s")
            return False
        return now - self._pong_at <= TRUST_SECONDS

    def _receive(self, message: Any, now: float) -> None:
        kind = message[0]
        if kind == b"message" and message[1] == INVALIDATION_CHANNEL:
            keys = message[2]  # None: the database was flushed
            self._forget(None if keys is None else [key.decode() for key in keys])
        elif kind == b"pong":
            self._pong_at, self._ping_at = now, None

    def _open(self, now: float) -> bool:
        if now < self._retry_at:
            return False
        connection = self._connect()
        try:
            connection.connect()
            connection.send_command("CLIENT", "ID")
            client_id = connection.read_response()
            prefixes = [part for prefix in self.prefixes for part in ("PREFIX", prefix)]
            connection.send_command("CLIENT", "TRACKING", "ON", "REDIRECT", client_id, "BCAST", *prefixes)
            connection.read_response()
            connection.send_command("SUBSCRIBE", INVALIDATION_CHANNEL)
            connection.read_response()
        except (RedisError, OSError) as error:
            connection.disconnect()
            refused = isinstance(error, ResponseError)  # no tracking in this server, or not for us
            self._retry_at = now + (REFUSED_RETRY_SECONDS if refused else RETRY_SECONDS)
            self._log_off(f"cannot track keys in Redis ({error})")
            return False
        self._connection = connection
        self._off = False
        self._forget(None)  # values stored while no connection reported changes
        self._pong_at, self._ping_at = now, None
        return True

    def _close(self, now: float, reason: str) -> None:
        self._log_off(reason)
        if self._connection is not None:
            self._connection.disconnect()
        self._connection = None
        self._retry_at = now + RETRY_SECONDS
        self._forget(None)

    def _log_off(self, reason: str) -> None:
        if not self._off:
            logger.warning("Near cache off (values are read from Redis) until Redis answers: %s", reason)
        self._off = True

    def _after_fork(self) -> None:
        """A forked process starts empty, with a connection of its own."""
        if self._connection is not None:
            self._connection.disconnect()  # closes this process's copy of the socket only
        self._connection = None
        self._pid = os.getpid()
        self._retry_at = 0.0
        self._forget(None)
