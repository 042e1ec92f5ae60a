"""pytest-xdist: one database per worker, cloned from a template the controller migrated once."""

import pytest

from tests.testing.conftest import PRICE_TEST, database_identities, server_databases

pytestmark = pytest.mark.slow

TESTS = """
import os
from pathlib import Path

import pytest
from django.db import connection

from shop.models import Product

REPORTS = Path(__file__).parent.parent / "reports"


@pytest.mark.parametrize("n", range(6))
def test_worker_database(db, n):
    Product.objects.create(name="tea")
    REPORTS.mkdir(exist_ok=True)
    worker = os.environ["PYTEST_XDIST_WORKER"]
    (REPORTS / f"{worker}-database").write_text(connection.settings_dict["NAME"])
"""

# Counts the migrations each process applies (the controller's report is "master").
COUNTER = """
import os
from pathlib import Path

from django.db.models.signals import pre_migrate

applied = []


def count(sender, plan=None, **kwargs):
    if sender.label == "shop":
        applied.append(len(plan or []))


pre_migrate.connect(count, weak=False)


def pytest_sessionfinish(session):
    reports = Path(__file__).parent.parent / "reports"
    reports.mkdir(exist_ok=True)
    name = os.environ.get("PYTEST_XDIST_WORKER", "master")
    (reports / f"{name}-migrations").write_text(str(sum(applied)))
"""


def reports(shop) -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted((shop.path / "reports").iterdir())}


@pytest.fixture
def parallel_shop(shop, vendor):
    if vendor not in ("postgresql", "mysql"):
        pytest.skip("template databases are cloned on PostgreSQL and MariaDB/MySQL")
    shop.write("tests/test_shop.py", TESTS)
    shop.write("tests/conftest.py", COUNTER)
    return shop


@pytest.mark.postgres
@pytest.mark.mysql
def test_each_worker_gets_a_clone_of_the_template(parallel_shop):
    shop = parallel_shop
    shop.run("-n", "2").assert_outcomes(passed=6)
    report = reports(shop)
    assert int(report.pop("master-migrations")) > 0  # the controller migrated the template
    assert report == {
        "gw0-database": f"{shop.test_database}_gw0",
        "gw0-migrations": "0",  # the workers migrated nothing: their clone was ready
        "gw1-database": f"{shop.test_database}_gw1",
        "gw1-migrations": "0",
    }
    assert server_databases(shop.database_url, shop.test_database) == []  # all dropped at the end


@pytest.mark.postgres
@pytest.mark.mysql
def test_reuse_db_keeps_the_clones_until_migrations_change(parallel_shop):
    shop = parallel_shop
    names = [shop.test_database, f"{shop.test_database}_gw0", f"{shop.test_database}_gw1"]
    shop.run("-n", "2", "--reuse-db").assert_outcomes(passed=6)
    assert server_databases(shop.database_url, shop.test_database) == names
    created = database_identities(shop.database_url, shop.test_database)
    shop.run("-n", "2", "--reuse-db").assert_outcomes(passed=6)
    assert (
        database_identities(shop.database_url, shop.test_database) == created
    )  # the same databases, not rebuilt

    shop.set_product_fields("price")
    shop.write("tests/test_price.py", PRICE_TEST)
    shop.run("-n", "2", "--reuse-db").assert_outcomes(passed=7)
    assert database_identities(shop.database_url, shop.test_database) != created


def test_sqlite_workers_each_have_their_own_database(shop, vendor):
    if vendor != "sqlite":
        pytest.skip("SQLite only: in-memory databases are per process")
    shop.write("tests/test_shop.py", TESTS)
    shop.run("-n", "2").assert_outcomes(passed=6)
    assert {reports(shop)[f"{worker}-database"] for worker in ("gw0", "gw1")} == {
        "file:memorydb_default?mode=memory&cache=shared"
    }
