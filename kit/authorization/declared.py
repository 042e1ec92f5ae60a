"""The permissions a project declares: what its views require, found through the URL configuration.

Every view reachable from ``ROOT_URLCONF`` is asked, for each HTTP method it handles, what it
requires (:func:`kit.authorization.requirements.required_permissions`: ``resource``,
``permissions`` and the ``require_*`` decorators), plus its ``unscoped_permission`` and what its
``declared_permissions()`` method returns (the RPC endpoint: its methods' rights). Permissions
checked only in code (``has_permission(request, "reports:export")``) are declared in
``KIT["EXTRA_PERMISSIONS"]``. The Django permissions of installed models are declared too, as
``app_label:codename`` (``catalog:view_item``, what ``user.has_perm("catalog.view_item")`` asks
through :mod:`kit.authorization.django_backend`). The admin refuses rights that match none of them
(``boks:raed``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.urls import URLPattern, URLResolver, get_resolver

from kit.authorization.requirements import method_handler, required_permissions
from kit.conf import kit_settings

WILDCARD = "*"


def declared_permissions(urlconf: str | None = None) -> frozenset[str]:
    """Every ``resource:operation`` the views of ``urlconf`` require, and ``KIT["EXTRA_PERMISSIONS"]``."""
    found = set(kit_settings.EXTRA_PERMISSIONS) | set(model_permissions())
    for view in _views(get_resolver(urlconf).url_patterns):
        for method in view.http_method_names:
            if method_handler(view, method) is None:
                continue
            required = required_permissions(view, method)
            if required is not None:
                found.update(required.and_set | required.or_set)
        unscoped = getattr(view, "unscoped_permission", None)
        if unscoped:
            found.add(unscoped)
        declared_by_view = getattr(view, "declared_permissions", None)
        if declared_by_view is not None:
            found.update(declared_by_view())
    return frozenset(name for name in found if name.count(":") == 1 and WILDCARD not in name)


def model_permissions() -> Iterator[str]:
    """The Django permissions of every installed model, as ``app_label:codename``."""
    for model in apps.get_models():
        opts = model._meta
        codenames = [get_permission_codename(action, opts) for action in opts.default_permissions]
        codenames += [codename for codename, _ in opts.permissions]
        yield from (f"{opts.app_label}:{codename}" for codename in codenames)


def undeclared_permission_error(resource: str, operation: str, declared: Iterable[str]) -> str | None:
    """Why ``resource:operation`` grants nothing any view requires, or None when it is declared.

    A ``*`` matches any resource or operation (``items:*`` is valid when some view requires an
    ``items`` permission; ``*:*`` always is).
    """
    pairs = [tuple(name.split(":")) for name in declared]
    if any(_matches(resource, r) and _matches(operation, o) for r, o in pairs):
        return None
    permission = f"{resource}:{operation}"
    close = difflib.get_close_matches(permission, sorted(declared), n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    django_permissions = set(model_permissions())
    resources = ", ".join(sorted({r for r, o in pairs if f"{r}:{o}" not in django_permissions})) or "none"
    return (
        f"No view requires {permission}.{hint} Resources the views declare: {resources}. "
        'A permission checked only in code belongs in KIT["EXTRA_PERMISSIONS"].'
    )


def _matches(pattern: str, name: str) -> bool:
    return pattern in (WILDCARD, name)


def _views(patterns: Iterable[Any]) -> Iterator[Any]:
    """An instance of each class-based view of ``patterns`` (viewsets with their action map)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            callback = pattern.callback
            view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
            if view_class is None:
                continue
            view = view_class(**(getattr(callback, "initkwargs", None) or {}))
            actions = getattr(callback, "actions", None)
            if actions:
                view.action_map = actions
            yield view
