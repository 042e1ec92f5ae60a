"""The options of each upstream: ``KIT["UPSTREAMS"][name]`` over the ``KIT["UPSTREAM_*"]`` defaults.

``SERVICE_<NAME>_URL`` and its sibling variables fill ``KIT["UPSTREAMS"]`` (kit.conf.service);
settings.py may also write it. Nothing here imports httpx: system checks read it without the extra.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from kit.conf import kit_settings

#: Each member of an upstream entry, and the KIT option giving its default (None: no default).
MEMBER_DEFAULTS: dict[str, str | None] = {
    "URL": None,
    "CONNECT_TIMEOUT": "UPSTREAM_CONNECT_TIMEOUT",
    "TIMEOUT": "UPSTREAM_TIMEOUT",
    "DEADLINE": "UPSTREAM_DEADLINE",
    "RETRIES": "UPSTREAM_RETRIES",
    "API_KEY": None,
    "TOKEN": None,
    "BREAKER_THRESHOLD": "UPSTREAM_BREAKER_THRESHOLD",
    "BREAKER_RESET": "UPSTREAM_BREAKER_RESET",
    "MAX_RESPONSE_SIZE": "UPSTREAM_MAX_RESPONSE_SIZE",
    "READY_CHECK": None,
    "READY_PATH": "UPSTREAM_READY_PATH",
}
POSITIVE_NUMBERS = ("CONNECT_TIMEOUT", "TIMEOUT", "DEADLINE", "BREAKER_RESET")
WHOLE_NUMBERS = {"RETRIES": 0, "BREAKER_THRESHOLD": 1, "MAX_RESPONSE_SIZE": 1}


@dataclass(frozen=True)
class UpstreamConfig:
    """One upstream's resolved options (seconds for times, bytes for sizes)."""

    name: str
    members: tuple[str, ...]
    connect_timeout: float
    timeout: float
    deadline: float
    retries: int
    api_key: str | None
    token: str | None
    breaker_threshold: int
    breaker_reset: float
    max_response_size: int
    ready_check: bool
    ready_path: str


def upstream_names() -> list[str]:
    return sorted(kit_settings.UPSTREAMS)


def upstream_config(name: str) -> UpstreamConfig:
    """The options of upstream ``name``; ImproperlyConfigured when it is unknown or malformed."""
    entries: Mapping[str, Mapping[str, Any]] = kit_settings.UPSTREAMS
    if name not in entries:
        raise ImproperlyConfigured(
            f"No upstream named {name!r}: set SERVICE_{name.upper()}_URL "
            f"(configured: {', '.join(sorted(entries)) or 'none'})."
        )
    problems = entry_problems(name, entries[name])
    if problems:
        raise ImproperlyConfigured("; ".join(problems))
    values = {key: _value(entries[name], key) for key in MEMBER_DEFAULTS}
    return UpstreamConfig(
        name=name,
        members=tuple(str(url).rstrip("/") + "/" for url in _urls(values["URL"])),
        connect_timeout=float(values["CONNECT_TIMEOUT"]),
        timeout=float(values["TIMEOUT"]),
        deadline=float(values["DEADLINE"]),
        retries=int(values["RETRIES"]),
        api_key=values["API_KEY"] or None,
        token=values["TOKEN"] or None,
        breaker_threshold=int(values["BREAKER_THRESHOLD"]),
        breaker_reset=float(values["BREAKER_RESET"]),
        max_response_size=int(values["MAX_RESPONSE_SIZE"]),
        ready_check=bool(values["READY_CHECK"]),
        ready_path=str(values["READY_PATH"]),
    )


def entry_problems(name: str, entry: Any) -> list[str]:
    """What is wrong with ``KIT["UPSTREAMS"][name]`` (empty when nothing is)."""
    where = f'KIT["UPSTREAMS"][{name!r}]'
    if not isinstance(entry, Mapping):
        return [f"{where} must be a dict of options, not {type(entry).__name__}."]
    problems = [f"{where} has an unknown option {key!r}." for key in entry if key not in MEMBER_DEFAULTS]
    urls = _urls(entry.get("URL"))
    if not urls:
        problems.append(f"{where} has no URL (SERVICE_{name.upper()}_URL).")
    for url in urls:
        problem = url_problem(url)
        if problem:
            problems.append(f"{where} URL {url!r} {problem}.")
    for key in POSITIVE_NUMBERS:
        value = _value(entry, key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            problems.append(f"{where} {key} must be a number of seconds > 0, not {value!r}.")
    for key, least in WHOLE_NUMBERS.items():
        value = _value(entry, key)
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            problems.append(f"{where} {key} must be a whole number >= {least}, not {value!r}.")
    return problems


def url_problem(url: Any) -> str | None:
    """Why ``url`` cannot be an upstream's base URL (http or https, a host, a valid port), or None."""
    if not isinstance(url, str):
        return "is not a string"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (validates the port)
    except ValueError:
        return "is malformed (invalid port or brackets)"
    if parts.scheme not in ("http", "https"):
        return "must start with http:// or https://"
    if not parts.hostname:
        return "has no host"
    if parts.query or parts.fragment:
        return "must not have a query or fragment"
    return None


def _urls(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value or [])


def _value(entry: Mapping[str, Any], key: str) -> Any:
    if key in entry:
        return entry[key]
    option = MEMBER_DEFAULTS[key]
    return getattr(kit_settings, option) if option else None
