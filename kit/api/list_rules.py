"""Two rules the list machinery applies to any view, a kit view or a plain DRF one.

- :func:`is_detail_request`: the request names a single object, so filters and list ordering do
  not apply to it;
- :func:`default_ordering`: the order of a list nothing else ordered (the view's ``ordering``,
  else newest first by primary key), so that pages never overlap.
"""

from __future__ import annotations

DEFAULT_ORDERING = ("-pk",)


def is_detail_request(view: object) -> bool:
    """True when ``view`` serves a single object: a viewset detail action, or its lookup in the URL."""
    detail = getattr(view, "detail", None)
    if detail is not None:
        return bool(detail)
    lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    return bool(lookup and lookup in getattr(view, "kwargs", {}))


def default_ordering(view: object) -> tuple[str, ...]:
    """The view's ``ordering``, else newest first by primary key."""
    return tuple(getattr(view, "ordering", None) or DEFAULT_ORDERING)
