"""The RPC endpoint in the OpenAPI document: its operation lists every registered method.

The description holds a table generated from the registry (signature, required rights, first line
of the docstring), and the ``x-rpc-methods`` extension the same data for tools.
"""

from __future__ import annotations

import inspect
from typing import Any

from kit.conf import kit_settings
from kit.openapi.schema import AutoSchema
from kit.rpc.registry import RPCMethod, registered_methods

JSONRPC_REQUEST = {
    "type": "object",
    "required": ["jsonrpc", "method"],
    "properties": {
        "jsonrpc": {"type": "string", "enum": ["2.0"]},
        "method": {"type": "string"},
        "params": {"oneOf": [{"type": "array", "items": {}}, {"type": "object", "additionalProperties": {}}]},
        "id": {"oneOf": [{"type": "string", "nullable": True}, {"type": "number"}]},
    },
}
JSONRPC_RESPONSE = {
    "type": "object",
    "required": ["jsonrpc", "id"],
    "properties": {
        "jsonrpc": {"type": "string", "enum": ["2.0"]},
        "id": {"oneOf": [{"type": "string", "nullable": True}, {"type": "number"}]},
        "result": {},
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "integer"},
                "message": {"type": "string"},
                "data": {
                    "type": "object",
                    "description": "The problem (RFC 9457) body.",
                    "additionalProperties": {},
                },
            },
        },
    },
}


REFUSED = {
    "400": "The body is no RPC request (parse error, invalid request, empty or oversized batch): one error.",
    "401": "Invalid credentials: one error (`id` null) for the whole request.",
    "405": "Not a POST: one error for the whole request.",
    "415": "Neither JSON nor XML: one error for the whole request.",
    "429": "Throttled: one error for the whole request.",
}
"""The statuses of a request refused as a whole (each answered with one RPC error or fault)."""


def rpc_response(description: str, headers: dict[str, Any]) -> dict[str, Any]:
    """A response whose body is a JSON-RPC response (or an array of them) or an XML-RPC one."""
    content: dict[str, Any] = {
        "application/json": {
            "schema": {"oneOf": [JSONRPC_RESPONSE, {"type": "array", "items": JSONRPC_RESPONSE}]}
        }
    }
    content["text/xml"] = {"schema": {"type": "string", "description": "An XML-RPC <methodResponse>."}}
    return {"description": description, "headers": headers, "content": content}


def batch_schema() -> dict[str, Any]:
    """A batch: its entries are checked one by one (an invalid one gets its own ``-32600`` error)."""
    schema: dict[str, Any] = {
        "type": "array",
        "minItems": 1,
        "items": {"description": "A JSON-RPC request object (an invalid one is answered with an error)."},
    }
    if kit_settings.RPC_MAX_BATCH_SIZE:
        schema["maxItems"] = kit_settings.RPC_MAX_BATCH_SIZE
    return schema


def method_signature(entry: RPCMethod) -> str:
    """``name(a: int, b: int) -> int`` (the ``request`` parameter left out)."""
    signature = inspect.signature(entry.function)
    params = [param for name, param in signature.parameters.items() if name != "request"]
    return f"{entry.name}{signature.replace(parameters=params)}"


def method_requirement(entry: RPCMethod) -> str:
    if entry.public:
        return "public"
    return str(entry.permissions) if entry.permissions else "authenticated"


def methods_description() -> str:
    """A Markdown table of the registered methods."""
    lines = [
        "Call the registered methods with JSON-RPC 2.0 (`application/json`: one request, a batch or "
        "notifications) or XML-RPC (`text/xml`). Errors carry the problem in `error.data`.",
        "",
        "| Method | Requires | Description |",
        "|---|---|---|",
    ]
    for entry in registered_methods():
        summary = entry.doc.splitlines()[0] if entry.doc else ""
        lines.append(f"| `{method_signature(entry)}` | `{method_requirement(entry)}` | {summary} |")
    return "\n".join(lines)


class RPCSchema(AutoSchema):
    """The operation of :class:`kit.rpc.views.RPCView`."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        operation["summary"] = "Call RPC methods (JSON-RPC 2.0, XML-RPC)"
        operation["description"] = methods_description()
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"oneOf": [JSONRPC_REQUEST, batch_schema()]}},
                "text/xml": {"schema": {"type": "string", "description": "An XML-RPC <methodCall>."}},
            },
        }
        responses = operation["responses"]
        headers = responses.get("200", {}).get("headers", {})
        responses["200"] = rpc_response("The results and errors of the calls.", headers)
        responses["204"] = {"description": "The request held only notifications.", "headers": headers}
        for status, description in REFUSED.items():
            responses[status] = rpc_response(description, headers)
        operation["x-rpc-methods"] = [
            {
                "name": entry.name,
                "signature": method_signature(entry),
                "requires": method_requirement(entry),
                "doc": entry.doc,
            }
            for entry in registered_methods()
        ]
        return operation

    def get_request_serializer(self) -> Any:
        return None

    def get_response_serializers(self) -> Any:
        return None
