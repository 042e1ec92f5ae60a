"""The headers every upstream call carries: the request id, the trace context, and credentials.

- ``X-Request-ID`` (``KIT["REQUEST_ID_HEADER"]``): the id of the request or task being served;
- ``traceparent`` and ``tracestate`` (W3C Trace Context): passed through from the request served;
- credentials: with ``forward_auth=True`` the ``Authorization`` header of the request served, and
  nothing else (no request, or no header: no credentials, never the service's own, which could hold
  more rights than the caller); otherwise the upstream's ``TOKEN`` (``Bearer``) or ``API_KEY``
  (``Api-Key``), when set.
"""

from __future__ import annotations

from kit.conf import kit_settings
from kit.request_id import get_request_id
from kit.services.config import UpstreamConfig
from kit.tasks.context import current_request

PASSED_THROUGH = {"traceparent": "HTTP_TRACEPARENT", "tracestate": "HTTP_TRACESTATE"}


def context_headers(config: UpstreamConfig, *, forward_auth: bool) -> dict[str, str]:
    """The headers of a call to ``config``'s upstream made now."""
    headers = {"Accept": "application/json"}
    request_id = get_request_id()
    if request_id:
        headers[kit_settings.REQUEST_ID_HEADER] = request_id
    request = current_request.get()
    meta = request.META if request is not None else {}
    for header, key in PASSED_THROUGH.items():
        if meta.get(key):
            headers[header] = meta[key]
    if forward_auth:
        if meta.get("HTTP_AUTHORIZATION"):
            headers["Authorization"] = meta["HTTP_AUTHORIZATION"]
    elif config.token:
        headers["Authorization"] = f"Bearer {config.token}"
    elif config.api_key:
        headers["Authorization"] = f"Api-Key {config.api_key}"
    return headers
