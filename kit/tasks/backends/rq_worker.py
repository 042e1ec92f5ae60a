"""The RQ worker of ``manage.py runworker``: RQ's ``Worker``, registered again when Redis lost its
registration, and quick to find Redis again after an outage.

RQ registers a worker once, when it starts (``register_birth``: the worker's hash and its place in
the sets ``Worker.all()`` reads, and with it the readiness probe). Its heartbeats only refresh the
hash: after Redis restarts without persistence (or is flushed), a heartbeat recreates the hash but
not the set entries, and the worker stays invisible until it restarts (rq 3.0.0). Here every
heartbeat first checks that Redis still lists the worker, and otherwise registers it again with
RQ's own ``register_birth``. A heartbeat that cannot reach Redis while a task runs is logged and
tried again at the next one, as RQ does while the worker waits for tasks (RQ would stop the worker
and leave the task running in an orphaned work horse).

Heartbeats come at most :data:`HEARTBEAT_SECONDS` apart while a task runs (RQ's
``job_monitoring_interval``, 30 s by default), and an idle worker that lost Redis tries again at
most that often (RQ's ``max_connection_wait_time``, 60 s by default): a worker is listed again
within :data:`HEARTBEAT_SECONDS` of Redis answering again.
"""

from __future__ import annotations

from typing import Any

from redis.client import Pipeline
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq.executions import Execution
from rq.job import Job
from rq.worker import Worker

HEARTBEAT_SECONDS = 10


class KitWorker(Worker):
    """RQ's worker, registering itself again when Redis no longer lists it."""

    max_connection_wait_time = float(HEARTBEAT_SECONDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("job_monitoring_interval", HEARTBEAT_SECONDS)
        super().__init__(*args, **kwargs)

    def heartbeat(self, timeout: int | None = None, pipeline: Pipeline | None = None) -> None:
        if not self.is_horse and not self.connection.sismember(self.redis_workers_keys, self.key):
            self.register_again()
        super().heartbeat(timeout, pipeline)

    def maintain_heartbeats(self, job: Job, execution: Execution) -> None:
        try:
            super().maintain_heartbeats(job, execution)
        except (RedisConnectionError, RedisTimeoutError) as error:
            self.log.warning(
                "Worker %s: heartbeat failed, Redis unreachable (%s); job %s keeps running, next try in %d s",
                self.name,
                error,
                job.id,
                self.job_monitoring_interval,
            )

    def register_again(self) -> None:
        """Register this running worker again, in its current state."""
        self.log.warning(
            "Worker %s: Redis no longer lists this worker (restarted or flushed): registering again",
            self.name,
        )
        self.connection.delete(self.key)  # a hash recreated by an earlier heartbeat, without the sets
        self.register_birth()
        self.set_state(self.get_state())
