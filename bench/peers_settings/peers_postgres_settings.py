"""A peer's own settings (``svc.settings``), on the PostgreSQL database named by ``DATABASE_URL``.

Used by ``bench/peers_postgres.py`` for the drf, rawdjango and kit peers of ``../shared/peers``:
only ``DATABASES`` changes (persistent connection, as the peers' SQLite settings). It runs in the
peers' own virtual environments (no django-environ there), so the URL is read here.
"""

import os
from urllib.parse import unquote, urlsplit

from svc.settings import *  # noqa: F403

_url = urlsplit(os.environ["DATABASE_URL"])
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(_url.path.lstrip("/")),
        "USER": unquote(_url.username or ""),
        "PASSWORD": unquote(_url.password or ""),
        "HOST": _url.hostname or "",
        "PORT": str(_url.port or ""),
        "CONN_MAX_AGE": None,
    }
}
