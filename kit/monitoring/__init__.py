"""Monitoring: error reporting to Sentry and Prometheus metrics. See docs/monitoring.md."""

from kit.monitoring.sentry import init_sentry

__all__ = ["init_sentry"]
