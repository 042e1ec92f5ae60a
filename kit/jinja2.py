"""A Jinja2 environment for Django's ``Jinja2`` template backend, with translations.

::

    TEMPLATES = [
        ...,
        {
            "NAME": "jinja2",
            "BACKEND": "django.template.backends.jinja2.Jinja2",
            "APP_DIRS": True,   # templates in <app>/jinja2/
            "OPTIONS": {
                "environment": "kit.jinja2.environment",
                "extensions": ["jinja2.ext.do"],
                "translations": "django.utils.translation",
            },
        },
    ]

``translations`` is the import path of an object with ``gettext`` and ``ngettext`` functions (and
optionally ``pgettext`` and ``npgettext``): Django's translation module (the default), or the
standard library's ``gettext`` module. It enables ``{% trans %}`` blocks and ``_()``; ``None``
turns translations off. The globals ``url`` (``reverse``) and ``static`` are available.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from django.utils.module_loading import import_string
from jinja2 import Environment

DEFAULT_TRANSLATIONS = "django.utils.translation"


def environment(*, translations: str | None = DEFAULT_TRANSLATIONS, **options: Any) -> Environment:
    """Build the Jinja2 environment (the ``environment`` option of Django's Jinja2 backend)."""
    if translations is not None:
        options["extensions"] = [*options.get("extensions", []), "jinja2.ext.i18n"]
    env = Environment(**options)  # noqa: S701  (Django's backend passes autoescape=True)
    if translations is not None:
        functions = _import(translations) if isinstance(translations, str) else translations
        env.install_gettext_callables(  # type: ignore[attr-defined]
            functions.gettext,
            functions.ngettext,
            newstyle=True,
            pgettext=getattr(functions, "pgettext", None),
            npgettext=getattr(functions, "npgettext", None),
        )
    env.globals.update(url=reverse, static=static)
    return env


def _import(path: str) -> Any:
    """A module (``gettext``) or an attribute (``myapp.i18n.translations``)."""
    try:
        return import_module(path)
    except ImportError:
        return import_string(path)
