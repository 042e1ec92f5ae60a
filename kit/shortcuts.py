"""Shortcuts for views: an HTML response from a template, and ``get_object_or_404`` as a problem."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Manager, Model, QuerySet
from django.http import HttpRequest, HttpResponse

from kit.errors.exceptions import Problem
from kit.rendering import render

M = TypeVar("M", bound=Model)


def html_response_template(
    name: str, status: int = 200, /, *, request: HttpRequest | None = None, **context: Any
) -> HttpResponse:
    """An HTML response rendering the template ``name`` with ``context``."""
    return HttpResponse(
        render(name, request=request, **context), status=status, content_type="text/html; charset=utf-8"
    )


def get_object_or_404(source: type[M] | Manager[M] | QuerySet[M], /, *args: Any, **kwargs: Any) -> M:
    """The one object of a model, manager or queryset matching the lookup, else a 404 ``not_found``
    problem (also when a lookup value has the wrong type, e.g. ``pk="abc"``)."""
    if isinstance(source, QuerySet):
        queryset = source
    elif isinstance(source, Manager):
        queryset = source.all()
    else:
        queryset = source._default_manager.all()
    try:
        return queryset.get(*args, **kwargs)
    except (ObjectDoesNotExist, TypeError, ValueError, ValidationError):
        name = str(queryset.model._meta.verbose_name)
        raise Problem(404, "not_found", f"No {name} matches the given query.") from None
