"""Prometheus metrics (prometheus-client): requests, tasks and task queues.

Imported only when ``KIT["METRICS_ENABLED"]`` is on (by the metrics middleware and view), so that
``manage.py serve`` can turn on prometheus-client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``)
before the library is first imported: every gunicorn worker then writes its samples to that
directory and any worker's ``/metrics`` answers for all of them.

Metrics:

- ``http_requests_total{method, view, status}`` (counter);
- ``http_request_duration_seconds{method, view}`` (histogram);
- ``tasks_total{task, status}`` (counter: ``enqueued``, then ``successful``/``failed`` where the
  task ran in this process);
- ``upstream_requests_total{upstream, method, outcome}`` (counter: each attempt of a call to an
  upstream, ``outcome`` its status or ``connect_error``, ``timeout``, ``bad_response``),
  ``upstream_request_duration_seconds{upstream, method}`` (histogram), ``upstream_retries_total{upstream}``
  (counter) and ``upstream_breaker_state{upstream, member}`` (gauge: 0 closed, 1 half-open, 2 open);
- ``task_queue_depth{queue}``, ``task_queue_jobs{queue, state}``, ``task_queue_workers{queue}``
  (gauges read from Redis at scrape time, when the RQ task backend is on).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.django import PrometheusDjangoView
from prometheus_client.registry import Collector

from kit.health.checks import task_queue_names

logger = logging.getLogger(__name__)

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "http_requests_total", "HTTP requests answered, by method, view and status.", ["method", "view", "status"]
)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time to answer HTTP requests, by method and view.",
    ["method", "view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TASKS = Counter(
    "tasks_total", "Tasks enqueued and finished in this process, by task and status.", ["task", "status"]
)

UPSTREAM_REQUESTS = Counter(
    "upstream_requests_total",
    "Attempts of calls to upstream services, by upstream, method and outcome.",
    ["upstream", "method", "outcome"],
)
UPSTREAM_LATENCY = Histogram(
    "upstream_request_duration_seconds",
    "Time of each attempt of a call to an upstream service.",
    ["upstream", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
UPSTREAM_RETRIES = Counter("upstream_retries_total", "Retries of calls to upstream services.", ["upstream"])
UPSTREAM_BREAKER = Gauge(
    "upstream_breaker_state",
    "Circuit breaker of each upstream member: 0 closed, 1 half-open, 2 open (the worst of the processes).",
    ["upstream", "member"],
    multiprocess_mode="livemax",
)


def observe_request(method: str, view: str, status: int, duration: float) -> None:
    method = method if method in KNOWN_METHODS else "other"
    REQUESTS.labels(method, view, str(status)).inc()
    LATENCY.labels(method, view).observe(duration)


def multiprocess_mode() -> bool:
    return "PROMETHEUS_MULTIPROC_DIR" in os.environ


class TaskQueueCollector(Collector):
    """Queue depth, jobs by state and workers of each RQ queue, read from Redis at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        queues = task_queue_names()
        if not queues:
            return
        from rq import Worker

        from kit.tasks.queues import get_queue

        depth = GaugeMetricFamily("task_queue_depth", "Jobs waiting in the queue.", labels=["queue"])
        jobs = GaugeMetricFamily("task_queue_jobs", "Jobs of the queue by state.", labels=["queue", "state"])
        workers = GaugeMetricFamily("task_queue_workers", "Workers listening on the queue.", labels=["queue"])
        for name in queues:
            try:
                queue = get_queue(name)
                counts = {
                    "queued": queue.count,
                    "started": queue.started_job_registry.count,
                    "deferred": queue.deferred_job_registry.count,
                    "scheduled": queue.scheduled_job_registry.count,
                    "finished": queue.finished_job_registry.count,
                    "failed": queue.failed_job_registry.count,
                    "canceled": queue.canceled_job_registry.count,
                }
                listening = len(Worker.all(queue=queue))
            except Exception:
                logger.warning("Cannot read task queue %s for metrics", name, exc_info=True)
                continue
            depth.add_metric([name], counts["queued"])
            for state, count in counts.items():
                jobs.add_metric([name, state], count)
            workers.add_metric([name], listening)
        yield from (depth, jobs, workers)


def scrape_registry() -> CollectorRegistry:
    """The registry ``/metrics`` exposes: every worker's samples in multiprocess mode, plus queues."""
    if not multiprocess_mode():
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(TaskQueueCollector())
    return registry


class MetricsView(PrometheusDjangoView):
    """prometheus-client's Django view over :func:`scrape_registry`."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.registry = scrape_registry()
        return super().get(request, *args, **kwargs)


def _count_enqueued(sender: Any, task_result: Any, **kwargs: Any) -> None:
    TASKS.labels(task_result.task.module_path, "enqueued").inc()


def _count_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    TASKS.labels(task_result.task.module_path, str(task_result.status).lower()).inc()


def _connect_task_signals() -> None:
    try:
        from django.tasks import signals
    except ImportError:  # Django 5.2: the django-tasks backport
        from django_tasks import signals  # type: ignore[no-redef]
    signals.task_enqueued.connect(_count_enqueued, dispatch_uid="kit.metrics.enqueued")
    signals.task_finished.connect(_count_finished, dispatch_uid="kit.metrics.finished")


_connect_task_signals()
if not multiprocess_mode():
    REGISTRY.register(TaskQueueCollector())
