"""``UpstreamCheck``: readiness requires an upstream (``SERVICE_<NAME>_READY_CHECK=true``).

The check asks each member's ``READY_PATH`` (``/health/ready`` by default, a kit service's
readiness probe) in turn and passes when one answers 2xx: the client fails over the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import httpx

from kit.health.base import HealthCheck, HealthException
from kit.services.config import upstream_config, upstream_names


@dataclass
class UpstreamCheck(HealthCheck):
    name: ClassVar[str] = "upstream"
    upstream: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}:{self.upstream}"

    def run(self) -> None:
        config = upstream_config(self.upstream)
        timeout = httpx.Timeout(config.timeout, connect=config.connect_timeout)
        failures = []
        for member in config.members:
            try:
                response = httpx.get(member + config.ready_path.lstrip("/"), timeout=timeout, trust_env=False)
            except httpx.HTTPError as error:
                failures.append(type(error).__name__)
                continue
            if response.is_success:
                return
            failures.append(str(response.status_code))
        raise HealthException(f"no member of {self.upstream} is ready ({', '.join(failures)})")


def upstream_checks() -> list[HealthCheck]:
    """A check for each upstream whose ``READY_CHECK`` is on."""
    return [UpstreamCheck(upstream=name) for name in upstream_names() if upstream_config(name).ready_check]
