"""The kit's layer over pytest-django's test database fixtures (same names, wrapping them).

pytest-django still creates the databases, runs the migrations once per session and wraps each
test in a transaction; these overrides add:

- ``--reuse-db`` rebuilds a reused database whose migrations changed (a stored fingerprint);
- under pytest-xdist, a worker keeps the database the controller cloned for it.
"""

from __future__ import annotations

import contextlib

import pytest

from kit.testing import databases

PREPARED_BY_CONTROLLER = "kit_prepared_databases"
current_databases_key = pytest.StashKey[set[str]]()  # aliases whose reused database is current


@pytest.fixture(scope="session")
def kit_migration_fingerprint(request: pytest.FixtureRequest) -> str:
    """The fingerprint of the current migration files (computed once per session)."""
    return databases.migration_fingerprint(use_migrations=not request.config.getvalue("nomigrations"))


@pytest.fixture(scope="session")
def django_db_keepdb(request: pytest.FixtureRequest, django_db_keepdb: bool) -> bool:
    """Keep the test databases: ``--reuse-db``, or a worker's database the controller prepared."""
    workerinput = getattr(request.config, "workerinput", {})
    return django_db_keepdb or bool(workerinput.get(PREPARED_BY_CONTROLLER))


@pytest.fixture(scope="session")
def django_db_createdb(
    request: pytest.FixtureRequest,
    django_db_createdb: bool,
    django_db_keepdb: bool,
    django_db_modify_db_settings: None,
    django_db_blocker: object,
    kit_migration_fingerprint: str,
) -> bool:
    """Recreate the test databases: ``--create-db``, or reused ones whose migrations changed."""
    if django_db_createdb or not django_db_keepdb:
        return django_db_createdb
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        states = databases.test_database_states(kit_migration_fingerprint)
    stale = [name for name, state in states.values() if state is databases.Fingerprint.STALE]
    if stale:
        _report(request.config, f"kit: migrations changed since {', '.join(stale)} was built: rebuilding")
        return True
    current = {alias for alias, (_, state) in states.items() if state is databases.Fingerprint.CURRENT}
    request.config.stash[current_databases_key] = current
    return False


@pytest.fixture(scope="session")
def kit_test_database_names(django_db_modify_db_settings: None) -> dict[str, str]:
    """The name of each alias's test database, taken before the setup renames the connections."""
    return databases.planned_names()


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    kit_migration_fingerprint: str,
    kit_test_database_names: dict[str, str],
    django_db_setup: None,
    django_db_keepdb: bool,
    django_db_blocker: object,
) -> None:
    """pytest-django's setup; a kept database then records the migrations it was built from.

    A reused database whose fingerprint is already current is not written to.
    """
    if django_db_keepdb:
        current = request.config.stash.get(current_databases_key, set())
        names = {alias: name for alias, name in kit_test_database_names.items() if alias not in current}
        if names:
            with django_db_blocker.unblock():  # type: ignore[attr-defined]
                databases.store_fingerprints(kit_migration_fingerprint, names)


def _report(config: pytest.Config, message: str) -> None:
    """Write a line to the terminal, past output capturing (this runs in a test's setup)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None:
        return
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        reporter.write_line(message)
