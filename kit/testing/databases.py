"""Test databases: where they live, a safety guard, migration fingerprints and per-worker clones.

- ``TEST_DATABASE_URL`` (or the settings schema's ``DATABASES["default"]["TEST"]["URL_CONFIG"]``)
  moves the default test database to another server or name; without it, Django's rule applies
  (the main database's name with a ``test_`` prefix).
- Tests refuse to run against a database whose name lacks ``test``.
- A fingerprint of the migration files is stored in each test database (table
  ``kit_test_fingerprint``): ``--reuse-db`` rebuilds a database whose fingerprint differs.
- Under pytest-xdist on PostgreSQL and MariaDB/MySQL, the controller migrates one template
  database and clones it for each worker (``test_x_gw0``, ``test_x_gw1``, ...).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

FINGERPRINT_TABLE = "kit_test_fingerprint"
CLONABLE_VENDORS = frozenset({"postgresql", "mysql"})
CONNECTION_KEYS = ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")


class UnsafeTestDatabase(Exception):
    """A test database name without ``test`` in it: tests would write to a real database."""


class Fingerprint(Enum):
    """What a test database holds compared with the current migrations."""

    ABSENT = "absent"  # no such database
    CURRENT = "current"  # built from the current migrations
    STALE = "stale"  # built from other migrations, or by something that stored no fingerprint


def use_test_database_url(alias: str = "default") -> None:
    """Point ``alias`` at ``TEST_DATABASE_URL`` for the test session (its name is the test name)."""
    from django.conf import settings
    from django.db import connections

    settings_dict = settings.DATABASES[alias]
    test_settings = settings_dict.setdefault("TEST", {})
    config = test_settings.get("URL_CONFIG")
    if config is None:
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            return
        import environ

        config = environ.Env.db_url_config(url)
    engine_changed = config["ENGINE"] != settings_dict.get("ENGINE")
    for key in CONNECTION_KEYS:
        if key in config:
            settings_dict[key] = config[key]
    test_settings["NAME"] = config["NAME"]
    if config["ENGINE"] == "django.db.backends.mysql":
        _use_pymysql_when_needed()
    if engine_changed:
        with contextlib.suppress(AttributeError):  # not created yet
            del connections[alias]  # the next use creates a connection of the new engine


def check_test_database_names() -> None:
    """Raise :class:`UnsafeTestDatabase` when a test database's name lacks ``test``."""
    for connection in _test_connections():
        name = str(connection.creation._get_test_db_name())
        if in_memory(connection, name):
            continue
        if "test" not in Path(name).name.lower():
            raise UnsafeTestDatabase(
                f"refusing to run tests against the database {name!r} (alias {connection.alias!r}): "
                "its name lacks 'test'. Tests create, flush and drop their database; name it "
                "test_... in TEST_DATABASE_URL or DATABASES[...]['TEST']['NAME'], or leave both "
                "unset to use Django's test_ prefix."
            )


def migration_fingerprint(*, use_migrations: bool = True) -> str:
    """A digest of every migration file and of the models of apps without migrations."""
    import django
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256(f"django {django.__version__}; migrations {use_migrations}\n".encode())
    for app_label, name in sorted(loader.disk_migrations):
        migration = loader.disk_migrations[app_label, name]
        digest.update(f"{app_label}.{name}\n".encode())
        digest.update(_source(sys.modules[type(migration).__module__]))
    for app_label in sorted(loader.unmigrated_apps):
        models_module = apps.get_app_config(app_label).models_module
        if models_module is not None:
            digest.update(f"{app_label} (no migrations)\n".encode())
            digest.update(_source(models_module))
    return digest.hexdigest()


def fingerprint_state(connection: Any, name: str, fingerprint: str) -> Fingerprint:
    """Compare the fingerprint stored in the database ``name`` (on ``connection``'s server)."""
    from django.db import DatabaseError

    if connection.vendor == "sqlite" and (in_memory(connection, name) or not os.path.exists(name)):
        return Fingerprint.ABSENT
    probe = connection.copy()
    probe.settings_dict["NAME"] = name
    try:
        probe.ensure_connection()
    except DatabaseError:
        return Fingerprint.ABSENT
    try:
        with probe.cursor() as cursor:
            cursor.execute(f"SELECT fingerprint FROM {FINGERPRINT_TABLE}")  # noqa: S608
            row = cursor.fetchone()
    except DatabaseError:
        return Fingerprint.STALE
    finally:
        probe.close()
    return Fingerprint.CURRENT if row and row[0] == fingerprint else Fingerprint.STALE


def test_database_states(fingerprint: str) -> dict[str, tuple[str, Fingerprint]]:
    """Each alias's test database name and what it holds compared with ``fingerprint``."""
    states = {}
    for connection in _test_connections():
        name = connection.creation._get_test_db_name()
        states[connection.alias] = (name, fingerprint_state(connection, name, fingerprint))
    return states


def planned_names() -> dict[str, str]:
    """The test database name of each alias that gets its own test database."""
    return {c.alias: c.creation._get_test_db_name() for c in _test_connections()}


def store_fingerprints(fingerprint: str, names: dict[str, str]) -> None:
    """Store ``fingerprint`` in the test databases set up (aliases now using their name in ``names``)."""
    from django.db import connections

    for alias, name in names.items():
        connection = connections[alias]
        if connection.settings_dict["NAME"] == name and not in_memory(connection, name):
            store_fingerprint(connection, fingerprint)


def store_fingerprint(connection: Any, fingerprint: str) -> None:
    with connection.cursor() as cursor:
        if FINGERPRINT_TABLE not in connection.introspection.table_names(cursor):
            cursor.execute(f"CREATE TABLE {FINGERPRINT_TABLE} (fingerprint VARCHAR(64) NOT NULL)")
        cursor.execute(f"DELETE FROM {FINGERPRINT_TABLE}")  # noqa: S608
        cursor.execute(f"INSERT INTO {FINGERPRINT_TABLE} (fingerprint) VALUES (%s)", [fingerprint])  # noqa: S608


@dataclass
class WorkerDatabases:
    """A template test database migrated once, and its clones, one per xdist worker."""

    alias: str
    original_name: str
    template: str
    worker_ids: Sequence[str]


def prepare_worker_databases(
    worker_ids: Sequence[str], *, fingerprint: str, reuse: bool, use_migrations: bool, verbosity: int
) -> list[WorkerDatabases]:
    """Migrate a template database per alias and clone it for each worker (PostgreSQL, MySQL).

    With ``reuse``, a template or clone whose fingerprint is current is kept as it is.
    """
    prepared = []
    for connection in _test_connections():
        if connection.vendor not in CLONABLE_VENDORS:
            continue
        original_name = connection.settings_dict["NAME"]
        template = connection.creation._get_test_db_name()
        keep_template = reuse and fingerprint_state(connection, template, fingerprint) is Fingerprint.CURRENT
        if not use_migrations:
            connection.settings_dict["TEST"]["MIGRATE"] = False
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, keepdb=keep_template)
        store_fingerprint(connection, fingerprint)
        for worker_id in worker_ids:
            clone = f"{template}_{worker_id}"
            keep_clone = (
                keep_template and fingerprint_state(connection, clone, fingerprint) is Fingerprint.CURRENT
            )
            connection.creation.clone_test_db(
                worker_id, verbosity=verbosity, autoclobber=True, keepdb=keep_clone
            )
        connection.close()
        prepared.append(WorkerDatabases(connection.alias, original_name, template, list(worker_ids)))
    return prepared


def destroy_worker_databases(prepared: Sequence[WorkerDatabases], *, verbosity: int) -> None:
    """Drop the clones and the template of :func:`prepare_worker_databases`."""
    from django.db import connections

    for databases in prepared:
        creation = connections[databases.alias].creation
        for worker_id in databases.worker_ids:
            creation.destroy_test_db(verbosity=verbosity, suffix=worker_id)
        creation.destroy_test_db(databases.original_name, verbosity=verbosity)


def _test_connections() -> Iterator[Any]:
    """Connections that get a test database of their own (mirrors share their primary's)."""
    from django.db import connections

    for connection in connections.all(initialized_only=False):
        if not connection.settings_dict.get("TEST", {}).get("MIRROR"):
            yield connection


def in_memory(connection: Any, name: str) -> bool:
    return connection.vendor == "sqlite" and connection.creation.is_in_memory_db(name)


def _source(module: Any) -> bytes:
    path = getattr(module, "__file__", None)
    return Path(path).read_bytes() if path else repr(module).encode()


def _use_pymysql_when_needed() -> None:
    try:
        import MySQLdb  # noqa: F401
    except ImportError:
        import pymysql

        pymysql.install_as_MySQLdb()
