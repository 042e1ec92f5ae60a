"""The plugin seen from a project: fixtures, isolation, the name guard, TEST_DATABASE_URL, --reuse-db."""

import pytest

from tests.testing.conftest import PRICE_TEST

pytestmark = pytest.mark.slow

TESTS = """
import pytest
from django.db import connection

from kit.testing import assert_is_envelope
from shop.models import Product
from tests.fixtures import SHOP_NAME


def test_project_fixture(product):
    assert Product.objects.get().name == "tea"
    assert SHOP_NAME == "Corner shop"


@pytest.mark.parametrize("attempt", [1, 2])
def test_each_test_runs_in_its_own_transaction(db, attempt):
    Product.objects.create(name="coffee")  # unique: a leftover from another test would fail
    assert Product.objects.count() == 1


def test_kit_fixtures_and_assertions(auth_client, make_user):
    assert auth_client(make_user("ann")).user.username == "ann"
    assert_is_envelope({"data": [], "meta": {"request_id": "x"}}, count=0)


def test_database_name(db):
    print("database:", connection.settings_dict["NAME"])
"""

MIGRATIONS_COUNTER = """
from django.db.models.signals import pre_migrate

migrations_runs = []
pre_migrate.connect(lambda sender, **kwargs: migrations_runs.append(sender.label), weak=False)


def pytest_sessionfinish(session):
    print("migrate ran", migrations_runs.count("shop"), "time(s)")
"""


def test_fixtures_isolation_and_one_migration_per_session(shop):
    shop.write("tests/test_shop.py", TESTS)
    shop.write("tests/conftest.py", MIGRATIONS_COUNTER)
    result = shop.run("-s")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["*migrate ran 1 time(s)*"])


@pytest.mark.parametrize("name", ["shop", "production_db"])
def test_refuses_a_database_name_without_test(shop, name):
    shop.write("tests/test_shop.py", TESTS)
    url = shop.database_url.rsplit("/", 1)[0] + f"/{name}"
    if url.startswith("sqlite"):
        url = f"sqlite:///{shop.path / (name + '.sqlite3')}"
    result = shop.run(TEST_DATABASE_URL=url)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*refusing to run tests against the database*{name}*lacks 'test'*"])


def test_test_database_url_names_the_test_database(shop):
    shop.write("tests/test_shop.py", TESTS)
    url = shop.database_url + "_url_test"
    name = url.rsplit("/", 1)[1]
    if url.startswith("sqlite"):
        url, name = f"sqlite:///{shop.path / 'url_test.sqlite3'}", str(shop.path / "url_test.sqlite3")
    result = shop.run("-s", "-k", "database_name", TEST_DATABASE_URL=url)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"*database: {name}"])


def test_reuse_db_rebuilds_when_a_migration_changes(shop):
    env = (
        {"SHOP_TEST_NAME": str(shop.path / "test_shop.sqlite3")}
        if shop.database_url.startswith("sqlite")
        else {}
    )
    shop.write("tests/test_shop.py", TESTS)
    first = shop.run("--reuse-db", **env)
    first.assert_outcomes(passed=5)
    again = shop.run("--reuse-db", **env)
    again.assert_outcomes(passed=5)
    assert "rebuilding" not in again.stdout.str()

    shop.set_product_fields("price")  # edits 0001_initial: migrate alone does not notice
    shop.write("tests/test_price.py", PRICE_TEST)
    without_kit = shop.run("--reuse-db", "-p", "no:kit", "tests/test_price.py", **env)
    assert without_kit.ret == pytest.ExitCode.TESTS_FAILED  # the stale table has no price column
    rebuilt = shop.run("--reuse-db", **env)
    rebuilt.assert_outcomes(passed=6)
    rebuilt.stdout.fnmatch_lines(["kit: migrations changed since *test_*shop* was built: rebuilding"])
    after = shop.run("--reuse-db", **env)
    after.assert_outcomes(passed=6)
    assert "rebuilding" not in after.stdout.str()
