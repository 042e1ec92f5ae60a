"""The WSGI application of a kit service: Django's, with the startup heap frozen for the collector.

A worker holds a few hundred thousand objects made at startup (modules, URL patterns, settings)
that live as long as it does. Python's cyclic garbage collector scans all of them in every full
collection, which stalls a request for tens of milliseconds every few thousand requests. Once the
application is loaded, :func:`get_wsgi_application` collects the startup garbage and moves what
is left out of the collector's sight (``gc.freeze()``): full collections then scan only objects
made since, and a request never waits for them.
"""

from __future__ import annotations

import gc

from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application as django_wsgi_application


def get_wsgi_application() -> WSGIHandler:
    """Django's WSGI application, with the objects made while loading it frozen."""
    application = django_wsgi_application()
    freeze_startup_heap()
    return application


def freeze_startup_heap() -> None:
    """Collect the garbage made so far, then hide the surviving objects from the collector."""
    gc.collect()
    gc.freeze()
