"""Saving and deleting objects with files, so that storage and database stay in step.

- :func:`save_with_files`: the serializer's save in a transaction, storage failures answered 503
  (the database keeps nothing: a file is stored before its row is written); files stored by a save
  that fails are deleted again, and a replaced file is deleted once the new one is committed;
- :func:`delete_with_files`: delete the object, then its stored files once the deletion commits.

A stored file that cannot be deleted afterwards is logged (``kit.files``), never an error: the
object's change has been made.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from django.db import router, transaction
from django.db.models import FileField, Model
from django.db.models.signals import pre_save
from rest_framework.serializers import BaseSerializer

from kit.files.errors import storage_errors

logger = logging.getLogger("kit.files")

StoredFile = tuple[Any, str]  # (storage, name)
#: The objects saved (``pre_save``) inside :func:`save_with_files`: their files are stored before
#: their row is written, so those of a save that fails must be deleted again.
_saving: ContextVar[list[Model] | None] = ContextVar("kit_files_saving", default=None)


@cache
def file_fields(model: type[Model]) -> tuple[FileField, ...]:
    """The file fields (``FileField``, ``ImageField``) of ``model``."""
    return tuple(field for field in model._meta.concrete_fields if isinstance(field, FileField))


def stored_files(instance: Model) -> set[StoredFile]:
    """The stored files ``instance`` names now, with their storages (not those still to be stored)."""
    found = set()
    for field in file_fields(type(instance)):
        file = getattr(instance, field.attname)
        if file and getattr(file, "_committed", True):
            found.add((field.storage, file.name))
    return found


def save_with_files(serializer: BaseSerializer, **kwargs: Any) -> Any:
    """``serializer.save(**kwargs)``, keeping storage and database in step (see the module)."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None or not file_fields(model):
        return serializer.save(**kwargs)
    before = stored_files(serializer.instance) if serializer.instance is not None else set()
    using = router.db_for_write(model)
    with _objects_saved() as saved:
        try:
            with storage_errors(), transaction.atomic(using=using):
                instance = serializer.save(**kwargs)
        except BaseException:
            for attempted in saved:
                delete_stored(stored_files(attempted) - before)
            raise
    replaced = before - stored_files(instance)
    if replaced:
        transaction.on_commit(lambda: delete_stored(replaced), using=using)
    return instance


@contextmanager
def _objects_saved() -> Iterator[list[Model]]:
    saved: list[Model] = []
    token = _saving.set(saved)
    try:
        yield saved
    finally:
        _saving.reset(token)


def _remember_saved(sender: Any, instance: Model, **kwargs: Any) -> None:
    saved = _saving.get()
    if saved is not None:
        saved.append(instance)


pre_save.connect(_remember_saved, dispatch_uid="kit.files.persistence.remember_saved")


def delete_with_files(instance: Model) -> None:
    """Delete ``instance``, then its stored files once the deletion commits."""
    files = stored_files(instance)
    using = router.db_for_write(type(instance), instance=instance)
    instance.delete()
    if files:
        transaction.on_commit(lambda: delete_stored(files), using=using)


def delete_stored(files: Iterable[StoredFile]) -> None:
    """Delete stored files; one that cannot be deleted is logged and left."""
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete the stored file %s", name)
