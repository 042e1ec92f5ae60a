"""Serializers generated for views that name only a ``model``."""

from __future__ import annotations

from functools import cache

from django.db.models import Model
from rest_framework import serializers


@cache
def model_serializer_class(model: type[Model]) -> type[serializers.ModelSerializer]:
    """Return a ``ModelSerializer`` over every field of ``model``, built once per model.

    DRF makes the primary key, ``auto_now``/``auto_now_add`` and non-editable fields read-only.
    """
    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    name = f"{model.__name__}Serializer"
    return type(name, (serializers.ModelSerializer,), {"Meta": meta, "__module__": model.__module__})
