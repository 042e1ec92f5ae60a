"""The registry of RPC methods: functions exposed at ``KIT["RPC_URL"]`` with :func:`method`.

::

    import kit.rpc

    @kit.rpc.method(name="calc.add", permission="calc:add")
    def add(a: int, b: int) -> int:
        return a + b

A method requires an authenticated caller holding ``permission`` (one name, several names that are
all required, or a :class:`~kit.authorization.Permissions` object); ``permission=None`` requires an
authenticated caller only, and ``public=True`` lets anyone call it. Its parameters are validated
against the function's signature and type hints (:mod:`kit.rpc.params`) or ``serializer_class``.
A parameter named ``request`` receives the DRF request and is not an RPC parameter.

The modules named ``rpc`` of the installed apps are imported when Django starts (like ``admin``),
so decorating functions there is enough.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from rest_framework.serializers import Serializer

from kit.authorization.requirements import Permissions, as_permissions
from kit.rpc.params import signature_serializer

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class RPCMethod:
    """One registered method: its name, the function, what it requires and how its params validate."""

    name: str
    function: Callable[..., Any]
    permissions: Permissions | None
    public: bool
    serializer_class: type[Serializer]
    takes_request: bool

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.function) or ""


_methods: dict[str, RPCMethod] = {}


def method(
    name: str | None = None,
    *,
    permission: str | Iterable[str] | Permissions | None = None,
    public: bool = False,
    serializer_class: type[Serializer] | None = None,
) -> Callable[[F], F]:
    """Register the decorated function as the RPC method ``name`` (default: the function's name).

    Registering a name twice with different functions is an error (a typo would shadow a method).
    """
    if public and permission is not None:
        raise ValueError("A public RPC method cannot require a permission.")

    def register(function: F) -> F:
        method_name = name or function.__name__
        takes_request = "request" in inspect.signature(function).parameters
        entry = RPCMethod(
            name=method_name,
            function=function,
            permissions=as_permissions(permission),
            public=public,
            serializer_class=serializer_class or signature_serializer(function, method_name),
            takes_request=takes_request,
        )
        existing = _methods.get(method_name)
        if existing is not None and _qualname(existing.function) != _qualname(function):
            raise ValueError(
                f"RPC method {method_name!r} is already registered by {_qualname(existing.function)}."
            )
        _methods[method_name] = entry
        return function

    return register


def get_method(name: str) -> RPCMethod | None:
    """The method registered as ``name``, if any."""
    return _methods.get(name)


def registered_methods() -> list[RPCMethod]:
    """Every registered method, sorted by name."""
    return [_methods[name] for name in sorted(_methods)]


def declared_permissions() -> set[str]:
    """Every permission a registered method requires (declared rights, for the admin)."""
    found: set[str] = set()
    for entry in _methods.values():
        if entry.permissions is not None:
            found |= entry.permissions.and_set | entry.permissions.or_set
    return found


def _qualname(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"
