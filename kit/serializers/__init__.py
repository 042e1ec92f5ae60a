"""Serialization: the kit's serializers, the serializer generated for a model, and read plans.

- :mod:`kit.serializers.strict`: ``Serializer`` and ``ModelSerializer`` (string fields take strings
  as sent) and ``PasswordField``;
- :mod:`kit.serializers.generated`: the serializer of a view that names only a ``model``;
- :mod:`kit.serializers.read_plans` (with :mod:`kit.serializers.converters` and
  :mod:`kit.serializers.sqlite_datetimes`): DRF's output for plain model fields, straight from
  database rows.

.. code-block:: python

    from kit import serializers

    class ItemSerializer(serializers.ModelSerializer): ...
"""

from kit.serializers.generated import GeneratedModelSerializer, model_serializer_class
from kit.serializers.read_plans import ReadPlan, read_plan
from kit.serializers.strict import (
    ModelSerializer,
    PasswordField,
    PasswordValidator,
    Serializer,
    StrictStringsMixin,
    password_min_length,
)

__all__ = [
    "GeneratedModelSerializer",
    "ModelSerializer",
    "PasswordField",
    "PasswordValidator",
    "ReadPlan",
    "Serializer",
    "StrictStringsMixin",
    "model_serializer_class",
    "password_min_length",
    "read_plan",
]
