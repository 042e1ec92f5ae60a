"""Shared components of the kit's OpenAPI documents: problem details, response metadata, headers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.plumbing import ResolvedComponent

Schema = dict[str, Any]

PROBLEM_MEDIA_TYPE = "application/problem+json"

PROBLEM: Schema = {
    "type": "object",
    "description": "An RFC 9457 problem details object; `code` is the stable machine-readable code.",
    "properties": {
        "type": {"type": "string", "description": "A URI identifying the problem type."},
        "title": {"type": "string", "description": "A short summary of the problem type."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong with this request."},
        "instance": {
            "type": "string",
            "nullable": True,
            "description": "The request path (null when the server refused the request line itself).",
        },
        "code": {"type": "string", "description": "A stable snake_case code, e.g. `not_found`."},
        "request_id": {"type": "string", "nullable": True, "description": "The id of the request."},
    },
    "required": ["type", "title", "status", "detail", "code"],
}

FIELD_ERROR: Schema = {
    "type": "object",
    "properties": {
        "attr": {"type": "string", "nullable": True, "description": "The field, nested names dotted."},
        "code": {"type": "string", "description": "The error code, e.g. `required`."},
        "detail": {"type": "string"},
        "pointer": {"type": "string", "description": "A JSON pointer to the field in the body."},
    },
    "required": ["code", "detail"],
}

META: Schema = {
    "type": "object",
    "properties": {"request_id": {"type": "string", "description": "The id of the request."}},
    "required": ["request_id"],
}

# status: (component name, description); 400 answers a ValidationProblem, the others a Problem.
PROBLEM_RESPONSES: dict[str, tuple[str, str]] = {
    "400": ("BadRequest", "Invalid input: `validation_error`, `parse_error` or `invalid_filter`."),
    "401": ("Unauthenticated", "`unauthenticated`: no valid credentials were given."),
    "403": ("Forbidden", "`forbidden`: the credentials do not grant this operation."),
    "404": ("NotFound", "`not_found`: no such object."),
    "406": ("NotAcceptable", "`not_acceptable`: `Accept` or `?format=` names no format offered here."),
    "409": ("Conflict", "`conflict`: the request conflicts with existing data (a unique value is taken)."),
    "413": ("PayloadTooLarge", "`payload_too_large`: the body exceeds the maximum request body size."),
    "414": ("UriTooLong", "`uri_too_long`: the path and query string are longer than the server takes."),
    "415": ("UnsupportedMediaType", "`unsupported_media_type`: the body's content type is not accepted."),
    "429": ("Throttled", "`throttled`: too many requests; retry after `Retry-After` seconds."),
    "500": ("ServerError", "`server_error`: an unexpected error."),
}

HEADERS: dict[str, Schema] = {
    "X-Request-ID": {
        "schema": {"type": "string"},
        "description": "The id of the request (the client's `X-Request-ID` when well-formed, else new).",
    },
    "Location": {
        "schema": {"type": "string", "format": "uri"},
        "description": "The URL of the created object.",
    },
}


def _register(registry: Any, kind: str, name: str, schema: Schema) -> Schema:
    resolved = ResolvedComponent(name=name, type=kind, object=f"kit.{kind}.{name}", schema=schema)
    registry.register_on_missing(resolved)
    return resolved.ref


def schema_ref(registry: Any, name: str, schema: Schema) -> Schema:
    """Register a schema component once and return a reference to it."""
    return _register(registry, ResolvedComponent.SCHEMA, name, schema)


def meta_ref(registry: Any) -> Schema:
    return schema_ref(registry, "Meta", META)


def list_meta_ref(registry: Any, paginator: Any) -> Schema:
    """``meta`` of a paginated list: ``request_id`` and the paginator's ``pagination`` object."""
    pagination = {"type": "object", "properties": {"pagination": paginator.get_pagination_schema()}}
    schema = {"allOf": [meta_ref(registry), {**pagination, "required": ["pagination"]}]}
    return schema_ref(registry, f"{type(paginator).__name__}Meta", schema)


def header_ref(registry: Any, name: str) -> Schema:
    return _register(registry, ResolvedComponent.HEADER, name, HEADERS[name])


def problem_response_ref(registry: Any, status: str) -> Schema:
    """The shared response component of a problem status (``Problem`` or ``ValidationProblem`` body)."""
    problem = schema_ref(registry, "Problem", PROBLEM)
    if status == "400":
        errors = {"type": "array", "items": schema_ref(registry, "FieldError", FIELD_ERROR)}
        extension = {"type": "object", "properties": {"errors": errors}}
        problem = schema_ref(registry, "ValidationProblem", {"allOf": [problem, extension]})
    name, description = PROBLEM_RESPONSES[status]
    response = {
        "description": description,
        "headers": {"X-Request-ID": header_ref(registry, "X-Request-ID")},
        "content": {PROBLEM_MEDIA_TYPE: {"schema": problem}},
    }
    return _register(registry, ResolvedComponent.RESPONSE, name, response)
