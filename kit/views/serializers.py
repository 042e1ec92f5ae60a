"""Serializers generated for views that name only a ``model``.

They are DRF ``ModelSerializer`` classes over every field of the model, prepared once per class:

- the model is introspected once (DRF does it for every serializer instance), and each instance
  gets a deep copy of the built fields, as DRF does for declared fields;
- reading (``to_representation``) follows a plan made once from those fields: for each field, how
  to get its value from the instance and its field's ``to_representation``. The plan is used only
  when every field is of a type whose output depends on the value alone (no request, no context);
  otherwise DRF's own ``to_representation`` runs. Its output is DRF's, field for field.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache
from operator import attrgetter
from typing import Any

from django.db.models import Model
from rest_framework import fields, relations, serializers

Plan = list[tuple[str, Callable[[Any], Any], Callable[[Any], Any] | None]]

#: Field types whose ``to_representation`` depends on the value alone.
CONTEXT_FREE_FIELDS: tuple[type[fields.Field], ...] = (
    fields.BooleanField,
    fields.CharField,
    fields.ChoiceField,
    fields.DateField,
    fields.DateTimeField,
    fields.DecimalField,
    fields.DurationField,
    fields.FloatField,
    fields.IntegerField,
    fields.JSONField,
    fields.TimeField,
    fields.UUIDField,
)


class GeneratedModelSerializer(serializers.ModelSerializer):
    """A ``ModelSerializer`` that introspects its model and plans its output once per class."""

    _prototype_fields: dict[str, fields.Field] | None = None
    _read_plan: Plan | None = None

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        if cls._prototype_fields is None:
            cls._prototype_fields = super().get_fields()
        return copy.deepcopy(cls._prototype_fields)

    def to_representation(self, instance: Any) -> Any:
        plan = type(self).read_plan()
        if not plan:
            return super().to_representation(instance)
        return {
            name: value if value is None or convert is None else convert(value)
            for name, get, convert in plan
            for value in (get(instance),)
        }

    @classmethod
    def read_plan(cls) -> Plan:
        """How to read each field (empty when a field needs DRF's general path)."""
        if "_read_plan" not in cls.__dict__:
            cls._read_plan = _plan(cls(), cls.Meta.model)
        return cls._read_plan or []


def _plan(serializer: serializers.ModelSerializer, model: type[Model]) -> Plan:
    plan: Plan = []
    for field in serializer.fields.values():
        if field.write_only:
            continue
        if len(field.source_attrs) != 1:
            return []
        name, source = str(field.field_name), field.source_attrs[0]
        if isinstance(field, relations.PrimaryKeyRelatedField) and field.pk_field is None:
            # DRF's pk-only optimisation: the foreign key column, answered as it is.
            column = getattr(model._meta.get_field(source), "attname", source)
            plan.append((name, attrgetter(column), None))
        elif isinstance(field, CONTEXT_FREE_FIELDS) and _reads_plain_attribute(field):
            plan.append((name, attrgetter(source), field.to_representation))
        else:
            return []
    return plan


def _reads_plain_attribute(field: fields.Field) -> bool:
    return type(field).get_attribute is fields.Field.get_attribute


@cache
def model_serializer_class(model: type[Model]) -> type[serializers.ModelSerializer]:
    """Return a ``ModelSerializer`` over every field of ``model``, built once per model.

    DRF makes the primary key, ``auto_now``/``auto_now_add`` and non-editable fields read-only.
    """
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    name = f"{model.__name__}Serializer"
    return type(name, (GeneratedModelSerializer,), {"Meta": meta, "__module__": model.__module__})
