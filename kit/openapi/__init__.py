"""OpenAPI for kit services, built on drf-spectacular, with no per-view decorator.

``kit.openapi.AutoSchema`` (the ``DEFAULT_SCHEMA_CLASS`` of ``kit.conf.base``) documents what the
kit adds to DRF: the success envelope, ``meta.pagination`` on lists, the problem responses each
operation can give, the ``Location`` and ``X-Request-ID`` headers, body and query serializers of
``kit.views.APIView`` and deprecated operations. ``kit.openapi.views`` serves the schema, Swagger UI
and Redoc from local assets.
"""

from kit.openapi.schema import AutoSchema

__all__ = ["AutoSchema"]
