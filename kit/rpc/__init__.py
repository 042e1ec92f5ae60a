"""RPC endpoints: functions registered with :func:`method`, called over JSON-RPC 2.0 and XML-RPC.

See docs/rpc.md.
"""

from kit.rpc import system  # noqa: F401  (registers system.listMethods and system.methodHelp)
from kit.rpc.registry import RPCMethod, get_method, method, registered_methods

__all__ = ["RPCMethod", "get_method", "method", "registered_methods"]
