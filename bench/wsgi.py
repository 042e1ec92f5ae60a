"""WSGI entry point of the benchmark server (``gunicorn bench.wsgi``), as a kit project has it."""

import os

from kit.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
application = get_wsgi_application()
