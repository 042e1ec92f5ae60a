"""RQ queues under the deployment's namespace: ``CACHE_NAMESPACE`` goes before every task queue's
name in Redis (``staging:default``), as it goes before every cache key.

Processes that share a Redis but not their work (a test run and the running service, staging and
production) then never take each other's jobs: a worker listens on the queues of its own namespace
only. The queues stay configured under their task names (``TASKS[...]["QUEUES"]``, ``RQ_QUEUES``,
``runworker`` arguments); only their names in Redis change. Test runs set their own namespace
(:mod:`kit.testing.caches`), which the workers they start inherit.

The queues are RQ's own ``Queue`` (they send at once), built by django-rq from ``RQ_QUEUES`` and
renamed: django-rq's ``DjangoRQ`` reads its settings by the queue's name when it enqueues. Plain
``django_rq.get_queue(name)`` queues stay outside the namespace; :func:`get_queue` gives the
namespaced one.
"""

from __future__ import annotations

import django_rq
from rq.queue import Queue

from kit.cache.namespaces import in_namespace


def rq_queue_name(name: str) -> str:
    """The name in Redis of the task queue ``name``: ``<CACHE_NAMESPACE>:<name>``, or ``name``."""
    return in_namespace(name)


def get_queue(name: str) -> Queue:
    """The RQ queue of the task queue ``name`` (its ``RQ_QUEUES`` entry), under its name in Redis."""
    return renamed(django_rq.get_queue(name, queue_class=Queue))


def renamed(queue: Queue) -> Queue:
    """``queue``, built by django-rq under its ``RQ_QUEUES`` key, renamed to its name in Redis."""
    name = rq_queue_name(queue.name)
    if name != queue.name:  # what Queue.__init__ sets from its name
        queue.name, queue._key = name, f"{queue.redis_queue_namespace_prefix}{name}"
    return queue
