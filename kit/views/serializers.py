"""Serializers generated for views that name only a ``model``."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from django.db.models import Model
from rest_framework import serializers


class GeneratedModelSerializer(serializers.ModelSerializer):
    """A ``ModelSerializer`` that introspects its model once per class, not once per instance.

    DRF builds a ``ModelSerializer``'s fields from the model on every instantiation; here the built
    fields are kept on the class and each instance gets a deep copy, as DRF does for declared fields.
    """

    _prototype_fields: dict[str, serializers.Field] | None = None

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        if cls._prototype_fields is None:
            cls._prototype_fields = super().get_fields()
        return copy.deepcopy(cls._prototype_fields)


@cache
def model_serializer_class(model: type[Model]) -> type[serializers.ModelSerializer]:
    """Return a ``ModelSerializer`` over every field of ``model``, built once per model.

    DRF makes the primary key, ``auto_now``/``auto_now_add`` and non-editable fields read-only.
    """
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    name = f"{model.__name__}Serializer"
    return type(name, (GeneratedModelSerializer,), {"Meta": meta, "__module__": model.__module__})
