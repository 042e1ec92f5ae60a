"""A small Django project in a temporary directory, tested through the kit's plugin in a subprocess.

Its database is on the same server (and vendor) as the suite's: ``test_<name>_shop`` next to the
suite's own test database. Every database it leaves behind is dropped after the test.
"""

import os
import textwrap
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
import pytest

pytest_plugins = ["pytester"]

# Plugins of the kit's dev environment that a service's test stack does not have (slow imports).
NO_DEV_PLUGINS = ("-p", "no:hypothesispytest", "-p", "no:schemathesis", "-p", "no:anyio")

SETTINGS = """
import os

import environ

from kit.conf.base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-for-the-shop-project-0123456789"
ROOT_URLCONF = "shopproject.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "shop"]
DATABASES = {"default": environ.Env.db_url_config(os.environ["DATABASE_URL"])}
if os.environ.get("SHOP_TEST_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["SHOP_TEST_NAME"]}
if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    import pymysql

    pymysql.install_as_MySQLdb()
"""

MIGRATION = """
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Product",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=50, unique=True)),{extra_fields}
            ],
        ),
    ]
"""

MODELS = """
from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=50, unique=True){extra_fields}
"""

FIXTURES = """
import pytest

from shop.models import Product

SHOP_NAME = "Corner shop"


@pytest.fixture
def product(db):
    return Product.objects.create(name="tea")
"""

PRICE_TEST = """
from shop.models import Product


def test_price(db):
    assert Product.objects.create(name="tea", price=3).price == 3
"""

MANAGE = """
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopproject.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""


class ShopProject:
    """The temporary project: its files, its database URL, and ways to run its tests."""

    def __init__(self, pytester: pytest.Pytester, database_url: str) -> None:
        self.pytester = pytester
        self.path = pytester.path
        self.database_url = database_url
        self.write(
            "pytest.ini",
            "[pytest]\nDJANGO_SETTINGS_MODULE = shopproject.settings\naddopts = -p no:cacheprovider\n",
        )
        self.write("manage.py", MANAGE)
        self.write("shopproject/__init__.py", "")
        self.write("shopproject/settings.py", SETTINGS)
        self.write("shopproject/urls.py", "urlpatterns = []\n")
        self.write("shop/__init__.py", "")
        self.write("shop/migrations/__init__.py", "")
        self.set_product_fields("")
        self.write("tests/__init__.py", "")
        self.write("tests/fixtures.py", FIXTURES)

    def write(self, name: str, source: str) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip())
        return path

    def set_product_fields(self, extra: str) -> None:
        """Rewrite the model and its *existing* initial migration (what ``migrate`` cannot see)."""
        field = {
            "": ("", ""),
            "price": (
                "\n    price = models.IntegerField(default=0)",
                '\n                ("price", models.IntegerField(default=0)),',
            ),
        }[extra]
        self.write("shop/models.py", MODELS.replace("{extra_fields}", field[0]))
        self.write("shop/migrations/0001_initial.py", MIGRATION.replace("{extra_fields}", field[1]))

    @property
    def test_database(self) -> str:
        """The name of the project's test database (Django's ``test_`` rule)."""
        return "test_" + urlsplit(self.database_url).path.lstrip("/")

    def run(self, *args: str, **env: str) -> pytest.RunResult:
        """Run pytest in the project (a fresh interpreter) with ``env`` added to its environment."""
        with pytest.MonkeyPatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            return self.pytester.runpytest_subprocess(*NO_DEV_PLUGINS, *args)


def project_database_url(suite_url: str | None, directory: Path) -> str:
    """The suite's database server with the project's own name (a SQLite file for SQLite)."""
    if not suite_url or suite_url.startswith("sqlite"):
        return f"sqlite:///{directory / 'shop.sqlite3'}"
    parts = urlsplit(suite_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_shop"))


def server_databases(url: str, prefix: str) -> list[str]:
    """Names of the databases on ``url``'s server starting with ``prefix``."""
    config = environ.Env.db_url_config(url)
    with server_cursor(config) as cursor:
        if "postgresql" in config["ENGINE"]:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"])
        else:
            cursor.execute("SHOW DATABASES LIKE %s", [prefix + "%"])
        return sorted(row[0] for row in cursor.fetchall())


def database_identities(url: str, prefix: str) -> list[tuple]:
    """Something per database starting with ``prefix`` that changes when it is created again."""
    config = environ.Env.db_url_config(url)
    with server_cursor(config) as cursor:
        if "postgresql" in config["ENGINE"]:
            cursor.execute(
                "SELECT datname, oid FROM pg_database WHERE datname LIKE %s ORDER BY 1", [prefix + "%"]
            )
        else:
            cursor.execute(
                "SELECT table_schema, create_time FROM information_schema.tables "
                "WHERE table_name = 'shop_product' AND table_schema LIKE %s ORDER BY 1",
                [prefix + "%"],
            )
        return cursor.fetchall()


def drop_databases(url: str, prefix: str) -> None:
    config = environ.Env.db_url_config(url)
    names = server_databases(url, prefix)
    with server_cursor(config) as cursor:
        for name in names:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")


@contextmanager
def server_cursor(config: dict):
    """A cursor on the server itself (autocommit, outside any test transaction)."""
    if "postgresql" in config["ENGINE"]:
        import psycopg

        connection = psycopg.connect(
            dbname="postgres",
            user=config["USER"],
            password=config["PASSWORD"] or None,
            host=config["HOST"],
            port=config["PORT"] or 5432,
            autocommit=True,
        )
    else:
        import pymysql

        connection = pymysql.connect(
            user=config["USER"],
            password=config["PASSWORD"] or "",
            host=config["HOST"],
            port=int(config["PORT"] or 3306),
            autocommit=True,
        )
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


@pytest.fixture
def shop(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> ShopProject:
    """The shop project, with ``DATABASE_URL`` set for it; its databases are dropped afterwards."""
    url = project_database_url(os.environ.get("DATABASE_URL"), pytester.path)
    for name in ("TEST_DATABASE_URL", "PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "shopproject.settings")
    monkeypatch.setenv("DATABASE_URL", url)
    project = ShopProject(pytester, url)
    yield project
    if not url.startswith("sqlite"):
        drop_databases(url, project.test_database)


@pytest.fixture
def vendor() -> str:
    """The suite's database vendor (the shop project uses the same)."""
    from django.db import connection

    return connection.vendor
