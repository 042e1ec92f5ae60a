"""The query parameters of the kit's ``FilterBackend`` in the OpenAPI document, with their limits.

drf-spectacular's django-filter extension gives each parameter its type; this one adds what the
:class:`~kit.filters.plan.FilterPlan` accepts: lengths and the NUL ban of strings, the column's
range of numbers, how many comma-separated values ``__in`` (1 to 100) and ``__range`` (exactly 2)
take, and ``minLength``/``minItems`` since an empty value is refused (``invalid_filter``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.django_filters import DjangoFilterExtension

from kit.filters import values
from kit.filters.plan import FilterPlan


class FilterExtension(DjangoFilterExtension):
    """django-filter's parameters, narrowed to what the kit's filter plan accepts."""

    target_class = "kit.filters.backends.FilterBackend"
    priority = 1

    def resolve_filter_field(
        self, auto_schema: Any, model: Any, filterset_class: Any, field_name: str, filter_field: Any
    ) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        plan = FilterPlan.for_class(filterset_class)
        for parameter in parameters:
            schema = parameter["schema"]
            if parameter["name"] == plan.ordering_param and schema.get("type") == "array":
                schema["minItems"] = 1
                continue
            item = plan.filters.get(parameter["name"])
            if item is None or item.parse is None:
                continue
            accepted = values.schema_of(item.parse)
            if "items" in accepted and "items" in schema:
                schema["items"].update(accepted.pop("items"))
            schema.update(accepted)
        return parameters
