"""Rendering templates with the service's template engine.

::

    from kit import rendering

    rendering.render("emails/welcome.txt", user=user)
    rendering.render_string("Hello {{ name }}!", name="Ada")

The engine is the ``TEMPLATES`` entry named by ``KIT["TEMPLATE_ENGINE"]`` (its ``NAME``, which
defaults to the last part of its backend path: ``django`` or ``jinja2``); by default the first one.
Django templates come configured; Jinja2 is an option (``kit.jinja2.environment``, see
docs/templates.md).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template import engines
from django.template.backends.base import BaseEngine

from kit.conf import kit_settings


def engine() -> BaseEngine:
    """The template engine of the kit's renderers."""
    alias = kit_settings.TEMPLATE_ENGINE
    return engines[alias] if alias else engines.all()[0]


def render(name: str, /, *, request: HttpRequest | None = None, **context: Any) -> str:
    """Render the template file ``name`` with ``context`` (and the context processors, given a
    ``request``)."""
    return engine().get_template(name).render(context, request)


def render_string(source: str, /, *, request: HttpRequest | None = None, **context: Any) -> str:
    """Render the template source ``source`` with ``context``."""
    return engine().from_string(source).render(context, request)
