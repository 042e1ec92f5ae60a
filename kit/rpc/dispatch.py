"""One RPC call: find the method, check the caller's rights, validate the params, run it."""

from __future__ import annotations

import logging
from typing import Any

from rest_framework.exceptions import NotAuthenticated

from kit.authorization.held import get_permission_set
from kit.authorization.requirements import PermissionNotMet
from kit.errors.exceptions import Problem
from kit.rpc.errors import method_not_found
from kit.rpc.params import bind_params
from kit.rpc.registry import RPCMethod, get_method

logger = logging.getLogger("kit.rpc")


def call_method(request: Any, name: str, params: Any) -> Any:
    """The result of the RPC method ``name`` called with ``params`` by the caller of ``request``.

    Raises the problem to answer: ``not_found`` (unknown method), ``unauthenticated`` /
    ``forbidden`` (rights), ``validation_error`` (params), or whatever the method raises.
    """
    entry = get_method(name)
    if entry is None:
        raise method_not_found(name)
    authorize(request, entry)
    kwargs = bind_params(entry.serializer_class, params)
    if entry.takes_request:
        kwargs["request"] = request
    logger.debug("RPC call %s", name)
    return entry.function(**kwargs)


def authorize(request: Any, entry: RPCMethod) -> None:
    """Fail closed: anyone for a public method, else an authenticated caller holding its permissions."""
    if entry.public:
        return
    user = request.user
    if not (user and user.is_authenticated):
        raise NotAuthenticated()
    if entry.permissions is None:
        return
    try:
        entry.permissions.verify(get_permission_set(user, request))
    except PermissionNotMet as missing:
        raise Problem(403, "forbidden", f"Missing permission: {missing.permission}.") from None
