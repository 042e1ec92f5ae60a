"""The introspection methods every RPC endpoint offers (public): ``system.listMethods`` and
``system.methodHelp``, as XML-RPC clients expect."""

from __future__ import annotations

from kit.errors.exceptions import Problem
from kit.rpc.registry import get_method, method, registered_methods


@method(name="system.listMethods", public=True)
def list_methods() -> list[str]:
    """The names of the registered methods."""
    return [entry.name for entry in registered_methods()]


@method(name="system.methodHelp", public=True)
def method_help(name: str) -> str:
    """The documentation of the method ``name``."""
    entry = get_method(name)
    if entry is None:
        raise Problem(404, "not_found", f"Method {name!r} not found.")
    return entry.doc
