"""Base classes imported when first used: a worker that never uses a class pays nothing for it.

DRF imports its default classes early (the authentication classes with ``rest_framework.views``;
``@api_view`` makes an instance of the schema class when it decorates), so a class of the kit built
on a heavy library would load that library in every worker. ``deferred_base(path, stand_in)`` is a
base class standing in for the class at ``path``. On first use (the first instance; or, with
``on_instance=False``, the first read of an attribute the stand-in lacks, on the class or on an
instance) the class at ``path`` is imported and put in place of the stand-in among the bases of
the subclasses. From then on they are what direct subclasses would have been (same MRO,
``isinstance``, ``issubclass``), their own subclasses included. :func:`complete` does it at once:
before an ``isinstance`` check against the real base, or when a subclass's own method calling
``super()`` may be the first use (``super()`` does not look for a missing attribute).
"""

from __future__ import annotations

import threading
from typing import Any

from django.utils.module_loading import import_string

_lock = threading.RLock()  # importing the real base may complete another class


def deferred_base(path: str, stand_in: type, *, on_instance: bool = True) -> type:
    """A base class (a subclass of ``stand_in``) replaced by the class at ``path`` on first use."""
    namespace: dict[str, Any] = {"deferred_path": path, "__getattr__": _instance_getattr}
    if on_instance:
        namespace["__new__"] = _new
    return _DeferredType(f"deferred_base({path!r})", (stand_in,), namespace)


def complete(cls: type) -> bool:
    """Put the real bases in place of the deferred ones in ``cls``'s MRO; False when none was left."""
    with _lock:
        deferred = [klass for klass in cls.__mro__ if "deferred_path" in vars(klass)]
        for klass in deferred:
            real = import_string(vars(klass)["deferred_path"])
            subclass: type
            for subclass in klass.__subclasses__():
                subclass.__bases__ = tuple(real if base is klass else base for base in subclass.__bases__)
    return bool(deferred)


class _DeferredType(type):
    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__") or not complete(cls):
            raise AttributeError(name)
        return getattr(cls, name)


def _instance_getattr(self: Any, name: str) -> Any:
    if name.startswith("__") or not complete(type(self)):
        raise AttributeError(name)
    return getattr(self, name)


def _new(cls: Any, *args: Any, **kwargs: Any) -> Any:
    complete(cls)
    return cls.__new__(cls)  # the real class's own (this one is no longer in the MRO)
