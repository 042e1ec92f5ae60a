"""``AutoSchema``: drf-spectacular's AutoSchema taught the kit's response conventions.

It needs no decorator on views. For every operation it documents:

- success bodies inside the envelope ``{"data": ..., "meta": {"request_id": ...}}`` (unless the view
  sets ``envelope = False``); lists have an array as ``data`` and ``meta.pagination`` described by
  the paginator's ``get_pagination_schema()``;
- the problem responses the operation can give (``application/problem+json``): 400 when it takes
  a body or query parameters, 401/403 when it requires permissions (``kit.authorization``) or has a
  permission class other than ``AllowAny``, 404 when its path names an object, 406 always (content
  negotiation), 414 always (the server's limit on the request line), 409/413/415 when it takes a
  body, 429 when it is throttled, 500 always;
- the ``X-Request-ID`` header on every response and ``Location`` on 201;
- the ``body_serializer_class`` / ``query_serializer_class`` of ``kit.views.APIView``;
- decimal fields of request bodies as what DRF accepts: a string (as they are answered) or a
  JSON number (within the field's digits, a multiple of its smallest decimal place);
- a ``kit.serializers.PasswordField`` with the minimum length and the rules of Django's password
  validators;
- deprecation marked by ``kit.api.decorators.deprecated``;
- further problem statuses a view lists in ``problem_statuses`` (e.g. ``("401",)`` on the token
  endpoints, which need no permission but refuse bad credentials), for all its operations or per
  method (``{"DELETE": ("400",)}``);
- the permissions it requires, in its description and in ``x-required-permissions``; operations
  requiring none also accept anonymous callers in ``security``.

The class itself is light: its base, :class:`kit.openapi.inspector.SpectacularAutoSchema`, and with
it drf-spectacular (and django.test, which it loads through DRF's test client), is imported when a
schema is given its view or first asked for something (:mod:`kit.deferred`), not when ``@api_view``
makes a schema instance for the view it decorates. A worker that serves requests and never a schema
loads neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.schemas.inspectors import ViewInspector

from kit.deferred import complete, deferred_base

_DRF_VIEW: property = vars(ViewInspector)["view"]


class _ViewInspector(ViewInspector):
    """DRF's ``ViewInspector``, standing in for the real base until a view is given to the schema
    (``view.schema`` on a view instance: what every schema generator does first, drf-spectacular's
    own included, before its ``isinstance`` check against its ``AutoSchema``)."""

    def _give_view(self, view: Any) -> None:
        if view is not None:  # None: made for a class (``@api_view``), not generating
            complete(type(self))
        self._view = view

    view = property(_DRF_VIEW.fget, _give_view, _DRF_VIEW.fdel)


if TYPE_CHECKING:
    from kit.openapi.inspector import SpectacularAutoSchema as _Base
else:
    _Base = deferred_base("kit.openapi.inspector.SpectacularAutoSchema", _ViewInspector, on_instance=False)


class AutoSchema(_Base):
    """The kit's ``DEFAULT_SCHEMA_CLASS`` (see the module docstring for what it adds)."""


def lib_doc_excludes() -> list[type]:
    """Classes whose docstrings never describe an operation or a component (``GET_LIB_DOC_EXCLUDES``).

    DRF's, the kit's views and the base of the serializers the kit generates for models.
    """
    from drf_spectacular.plumbing import get_lib_doc_excludes

    import kit.views
    from kit.serializers.generated import GeneratedModelSerializer

    kit_views = (getattr(kit.views, name) for name in kit.views.__all__)
    return [*get_lib_doc_excludes(), *kit_views, GeneratedModelSerializer]
