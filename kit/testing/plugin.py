"""pytest plugin entry point (registered as ``pytest11: kit``).

It registers the kit's fixtures (``kit.testing.fixtures``) and its layer over pytest-django's
database fixtures (``kit.testing.database_setup``) once Django is configured, loads the project's
``tests/fixtures.py``, points the default database at ``TEST_DATABASE_URL``, refuses test
databases whose name lacks ``test``, and, under pytest-xdist, clones one migrated template
database per worker. Every cache gets a namespace of the run's own (``kit.testing.caches``).
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any

import pytest

from kit.testing import databases

PROJECT_FIXTURES = ("tests", "fixtures.py")
worker_databases_key = pytest.StashKey[list[databases.WorkerDatabases]]()
isolated_caches_key = pytest.StashKey[contextlib.ExitStack]()


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    _no_assertion_rewriting_of_the_kit(pluginmanager)
    parser.addini(
        "kit_in_process_tasks",
        type="bool",
        default=True,
        help="kit: run enqueued tasks in-process during tests (default: true)",
    )
    parser.addini(
        "kit_fast_password_hashing",
        type="bool",
        default=True,
        help="kit: hash passwords with a fast (insecure) hasher during tests (default: true)",
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if not _django_configured():
        return
    from kit.testing import database_setup, fixtures

    for module in (fixtures, database_setup):
        if not config.pluginmanager.is_registered(module):
            config.pluginmanager.register(module, module.__name__)
    _load_project_fixtures(config)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    if not _django_configured():
        return
    from kit.testing.caches import isolated_caches

    databases.use_test_database_url()
    try:
        databases.check_test_database_names()
    except databases.UnsafeTestDatabase as error:
        raise pytest.UsageError(str(error)) from None
    stack = contextlib.ExitStack()
    stack.enter_context(isolated_caches())  # before anything (migrations, fixtures) writes a key
    session.config.stash[isolated_caches_key] = stack


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Delete the run's cache keys and give the caches back their settings."""
    stack = session.config.stash.get(isolated_caches_key, None)
    if stack is not None:
        stack.close()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config: pytest.Config, specs: list[Any]) -> None:
    """On the xdist controller: migrate a template database and clone it for each worker."""
    if not _django_configured():
        return
    from pytest_django.plugin import blocking_manager_key

    reuse = bool(config.getvalue("reuse_db")) and not config.getvalue("create_db")
    use_migrations = not config.getvalue("nomigrations")
    with config.stash[blocking_manager_key].unblock():
        config.stash[worker_databases_key] = databases.prepare_worker_databases(
            [spec.id for spec in specs],
            fingerprint=databases.migration_fingerprint(use_migrations=use_migrations),
            reuse=reuse,
            use_migrations=use_migrations,
            verbosity=config.option.verbose,
        )


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """Tell each worker that its databases are ready (it reuses them instead of migrating)."""
    if node.config.stash.get(worker_databases_key, None):
        from kit.testing.database_setup import PREPARED_BY_CONTROLLER

        node.workerinput[PREPARED_BY_CONTROLLER] = True


def pytest_unconfigure(config: pytest.Config) -> None:
    """On the xdist controller: drop the template and worker databases unless ``--reuse-db``."""
    prepared = config.stash.get(worker_databases_key, None)
    if not prepared or config.getvalue("reuse_db"):
        return
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        databases.destroy_worker_databases(prepared, verbosity=config.option.verbose)


def _no_assertion_rewriting_of_the_kit(pluginmanager: pytest.PytestPluginManager) -> None:
    """Import the kit's modules as they are, not assertion-rewritten.

    pytest marks every module of a plugin's distribution for assertion rewriting, so the whole
    kit (a hundred modules, none with assertions for tests) would be parsed and rewritten at each
    start where bytecode is not cached (``PYTHONDONTWRITEBYTECODE``, read-only installs). This runs
    when the plugin is registered, before Django imports the kit. ``_must_rewrite`` is pytest's
    private set of marked names: if it changes, the kit is rewritten as before.
    """
    marked = getattr(getattr(pluginmanager, "rewrite_hook", None), "_must_rewrite", None)
    if isinstance(marked, set):
        marked.discard(__name__.partition(".")[0])


def _django_configured() -> bool:
    if "django" not in sys.modules:
        return False
    from django.conf import settings

    return settings.configured


def _load_project_fixtures(config: pytest.Config) -> None:
    """Register the project's ``tests/fixtures.py`` (shared fixtures) as a plugin."""
    path = config.rootpath.joinpath(*PROJECT_FIXTURES)
    if not path.is_file():
        return
    root = str(config.rootpath)
    if root not in sys.path:
        sys.path.insert(0, root)
    config.pluginmanager.import_plugin("tests.fixtures")
