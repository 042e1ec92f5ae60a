"""``SchemaGenerator``: drf-spectacular's generator naming the document after the service.

``info.title`` is ``SPECTACULAR_SETTINGS["TITLE"]`` when set, else the service's name
(``SERVICE_NAME``, as ``/status`` shows it); ``info.version`` is ``SPECTACULAR_SETTINGS["VERSION"]``
when set, else the service's version (``SERVICE_VERSION``, else the installed distribution's),
else ``0.0.0``. An API version of the request (DRF versioning) follows in parentheses.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import generators
from drf_spectacular.settings import spectacular_settings

from kit.deferred import complete
from kit.health.status import service_name, service_version
from kit.openapi.schema import AutoSchema

UNKNOWN_VERSION = "0.0.0"

# The schemas' real base now (drf-spectacular checks ``isinstance(view.schema, its AutoSchema)``);
# importing it registers the kit's OpenAPI extensions.
complete(AutoSchema)


class SchemaGenerator(generators.SchemaGenerator):
    """The kit's ``DEFAULT_GENERATOR_CLASS``: title and version default to the service's."""

    def get_schema(self, request: Any = None, public: bool = False) -> dict[str, Any]:
        schema: dict[str, Any] = super().get_schema(request, public)
        info = schema["info"]
        name = service_name()
        if not spectacular_settings.TITLE:
            info["title"] = name
        if not spectacular_settings.VERSION:
            release = service_version(name) or UNKNOWN_VERSION
            api_version = info.get("version")
            info["version"] = f"{release} ({api_version})" if api_version else release
        return schema
