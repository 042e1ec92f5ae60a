"""A dependency-free HTTP probe for container health checks: ``python -m kit.health.probe [PATH]``.

Requests ``http://127.0.0.1:$PORT<PATH>`` (``PATH`` defaults to ``/health/live``, ``PORT`` to 8888;
an ``http://`` URL is used as given) and exits 0 on a 2xx answer, 1 otherwise. It does not
import Django, so it costs a few milliseconds where ``manage.py health`` boots the whole project.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence


def probe_url(target: str, environ: dict[str, str] | None = None) -> str:
    """The URL to request for ``target`` (a path on the local server, or an http:// URL)."""
    if target.startswith("http://"):
        return target
    port = (environ if environ is not None else os.environ).get("PORT") or "8888"
    return f"http://127.0.0.1:{port}/{target.lstrip('/')}"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    url = probe_url(args[0] if args else "/health/live")
    timeout = float(os.environ.get("PROBE_TIMEOUT", "5"))
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  (http only, above)
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        print(f"{url}: {error}", file=sys.stderr)
        return 1
    if 200 <= status < 300:
        return 0
    print(f"{url}: HTTP {status}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
