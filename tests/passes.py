"""Which pass of the suite this is: scripts/test runs it on SQLite, then on PostgreSQL and MariaDB.

Tests whose subject does not depend on the database backend (serving, Redis outages, generated
projects, logging) run in the SQLite pass only, so the whole run stays within CI's time budget; the
database-specific paths they touch have their own tests in every pass.
"""

import os

import pytest

SUITE_DATABASE = os.environ.get("DATABASE_URL", "")
ON_SQLITE = not SUITE_DATABASE or SUITE_DATABASE.startswith("sqlite")
sqlite_run_only = pytest.mark.skipif(not ON_SQLITE, reason="database independent: runs on the SQLite run")
