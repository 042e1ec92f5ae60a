"""The id of the request being served, visible to logging, envelopes, problems and tasks."""

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("kit_request_id", default=None)


def get_request_id() -> str | None:
    """Return the id of the current request (or task), or None outside one."""
    return request_id_var.get()
