"""Serializers generated for views that name only a ``model``.

They are ``kit.serializers.ModelSerializer`` classes (string fields take strings only) over every
field of the model, prepared once per class:

- the model is introspected once (DRF does it for every serializer instance), and each instance
  gets a deep copy of the built fields, as DRF does for declared fields;
- reading (``to_representation``) follows the class's :class:`~kit.serializers.read_plans.ReadPlan` when
  it has one (every field plain); otherwise DRF's own ``to_representation`` runs. The output is
  DRF's, field for field.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from django.db.models import Model
from rest_framework import fields, serializers

from kit.serializers.read_plans import read_plan
from kit.serializers.strict import ModelSerializer


class GeneratedModelSerializer(ModelSerializer):
    """A ``ModelSerializer`` that introspects its model and plans its output once per class."""

    _prototype_fields: dict[str, fields.Field] | None = None

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        if cls._prototype_fields is None:
            cls._prototype_fields = super().get_fields()
        return copy.deepcopy(cls._prototype_fields)

    def to_representation(self, instance: Any) -> Any:
        plan = read_plan(type(self))
        if plan is None or not isinstance(instance, plan.model):
            return super().to_representation(instance)
        return plan.represent_instance(instance)


@cache
def model_serializer_class(model: type[Model]) -> type[serializers.ModelSerializer]:
    """Return a ``ModelSerializer`` over every field of ``model``, built once per model.

    DRF makes the primary key, ``auto_now``/``auto_now_add`` and non-editable fields read-only.
    """
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    name = f"{model.__name__}Serializer"
    return type(name, (GeneratedModelSerializer,), {"Meta": meta, "__module__": model.__module__})
