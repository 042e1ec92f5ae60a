"""The env settings schema: types, defaults, precedence, all problems at once, secrets masked."""

import os
import subprocess
import sys
from pathlib import Path

import django
import pytest
from django.core.exceptions import ImproperlyConfigured

from kit.conf import ServiceSettings, SettingsSchema, fields
from kit.conf.example import render_env_example
from kit.conf.secrets import mask

ROOT = Path(__file__).resolve().parents[2]


class Sample(SettingsSchema):
    NAME = fields.Str(default="svc")
    COUNT = fields.Int(default=3, min_value=1, max_value=10)
    RATIO = fields.Float(default=0.5)
    ENABLED = fields.Bool(default=False)
    TAGS = fields.List(default=["a"], item=fields.Int())
    HOME = fields.Path(default="/tmp")
    MODE = fields.Choice(["fast", "safe"], default="safe")
    ENDPOINT = fields.URL(default="https://example.com", schemes=["http", "https"])
    TOKEN = fields.Str(secret=True)
    LIMIT = fields.Int(setting="KIT.LIMIT")


def load(schema, environ, settings=None):
    settings = {} if settings is None else settings
    schema().load_from_env(settings, environ=environ)
    return settings


def test_typed_values_are_parsed():
    settings = load(
        Sample,
        {
            "NAME": "orders",
            "COUNT": "7",
            "RATIO": "1.5",
            "ENABLED": "yes",
            "TAGS": "1, 2,3",
            "HOME": "/srv/data",
            "MODE": "FAST",
            "ENDPOINT": "http://api.local:8080/x",
            "TOKEN": "s3cr3t-token",
            "LIMIT": "5",
        },
    )
    assert settings["NAME"] == "orders"
    assert settings["COUNT"] == 7
    assert settings["RATIO"] == 1.5
    assert settings["ENABLED"] is True
    assert settings["TAGS"] == [1, 2, 3]
    assert settings["HOME"] == Path("/srv/data")
    assert settings["MODE"] == "fast"
    assert settings["ENDPOINT"] == "http://api.local:8080/x"
    assert settings["TOKEN"] == "s3cr3t-token"
    assert settings["KIT"] == {"LIMIT": 5}


def test_defaults_apply_when_unset_and_missing_optional_values_are_left_alone():
    settings = load(Sample, {})
    assert settings["COUNT"] == 3
    assert settings["TAGS"] == ["a"]
    assert settings["HOME"] == Path("/tmp")
    assert "TOKEN" not in settings
    assert "KIT" not in settings


def test_every_problem_is_reported_in_one_error_and_secrets_never_appear():
    with pytest.raises(ImproperlyConfigured) as caught:
        load(
            Sample,
            {
                "COUNT": "abc",
                "ENABLED": "maybe",
                "TAGS": "1,x",
                "MODE": "slow",
                "ENDPOINT": "ftp://host",
                "RATIO": "half",
                "LIMIT": "99999999999999999999x",
            },
        )
    message = str(caught.value)
    assert "7 problems" in message
    for expected in (
        "COUNT: 'abc' is not an integer",
        "ENABLED: 'maybe' is not a boolean",
        "TAGS: '1,x' is not an integer",
        "MODE: 'slow' must be one of: fast, safe",
        "ENDPOINT: 'ftp://host' has an unsupported scheme 'ftp'",
        "RATIO: 'half' is not a number",
        "LIMIT:",
    ):
        assert expected in message


def test_secret_values_are_masked_in_errors_and_registered_for_logs():
    class Secretive(SettingsSchema):
        API_TOKEN = fields.Str(secret=True, min_length=40)
        DB = fields.DatabaseURL()

    with pytest.raises(ImproperlyConfigured) as caught:
        load(Secretive, {"API_TOKEN": "short-but-secret", "DB": "postgres://u:hunter2x@h:bad/x"})
    message = str(caught.value)
    assert "short-but-secret" not in message
    assert "hunter2x" not in message
    assert "API_TOKEN: ***** must be at least 40 characters long" in message
    assert "'postgres://u:*****@h:bad/x' has an invalid port" in message
    assert mask("token=short-but-secret pw=hunter2x") == "token=***** pw=*****"


def test_range_limits():
    with pytest.raises(ImproperlyConfigured, match="COUNT: '11' must be <= 10"):
        load(Sample, {"COUNT": "11"})
    with pytest.raises(ImproperlyConfigured, match="COUNT: '0' must be >= 1"):
        load(Sample, {"COUNT": "0"})


def test_required_variables_are_reported_when_missing():
    class Needs(SettingsSchema):
        FIRST = fields.Str(required=True)
        SECOND = fields.Int(required=True)

    with pytest.raises(ImproperlyConfigured) as caught:
        load(Needs, {})
    assert "FIRST: is required but not set" in str(caught.value)
    assert "SECOND: is required but not set" in str(caught.value)


def test_prefix_groups_variables():
    class Database(SettingsSchema):
        HOST = fields.Str(default="localhost")
        PORT = fields.Int(default=5432)

        class Meta:
            prefix = "DATABASE_"

    settings = load(Database, {"DATABASE_HOST": "db.internal", "PORT": "1"})
    assert settings == {"DATABASE_HOST": "db.internal", "DATABASE_PORT": 5432}
    assert [name for name, _ in Database.variables()] == ["DATABASE_HOST", "DATABASE_PORT"]


def test_subclasses_inherit_and_extend_fields():
    class Project(Sample):
        EXTRA = fields.Int(default=1)

    assert list(Project.fields) == [*Sample.fields, "EXTRA"]


def test_precedence_environment_then_dotenv_then_env_default_then_settings(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / ".env.default").write_text("NAME=from-default\nCOUNT=2\nRATIO=0.25\nMODE=fast\n")
    (tmp_path / ".env").write_text("NAME=from-dotenv\nCOUNT='4'\n# a comment\n")
    (tmp_path / "manage.py").write_text("")  # a project checkout
    monkeypatch.chdir(tmp_path)
    settings = {"__file__": str(package / "settings.py"), "MODE": "safe", "ENABLED": True}
    load(Sample, {"NAME": "from-environment"}, settings)
    assert settings["NAME"] == "from-environment"
    assert settings["COUNT"] == 4  # .env beats .env.default
    assert settings["RATIO"] == 0.25  # .env.default beats the field default
    assert settings["MODE"] == "fast"  # .env.default beats settings.py
    assert settings["ENABLED"] is True  # settings.py beats the field default


def test_env_default_of_an_installed_package_is_ignored(tmp_path, monkeypatch):
    """Development defaults apply only in a checkout (manage.py beside the package), not site-packages."""
    package = tmp_path / "site-packages" / "pkg"
    package.mkdir(parents=True)
    (package / ".env.default").write_text("NAME=from-default\n")
    monkeypatch.chdir(tmp_path)
    settings = load(Sample, {}, {"__file__": str(package / "settings.py")})
    assert settings["NAME"] == "svc"


def test_missing_env_files_are_fine(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load(Sample, {}, {"__file__": str(tmp_path / "nowhere" / "settings.py")})
    assert settings["NAME"] == "svc"


def test_empty_variables_count_as_unset():
    assert load(Sample, {"COUNT": ""})["COUNT"] == 3


def test_service_settings_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = {"__name__": "orders.settings", "BASE_DIR": tmp_path, "DEBUG": True}
    load(ServiceSettings, {}, settings)
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["DATABASES"]["default"]["NAME"] == str(tmp_path / "db.sqlite3")
    assert settings["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    assert settings["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert settings["CACHES"]["default"]["KEY_PREFIX"] == "orders"
    assert settings["KIT"]["SERVICE_NAME"] == "orders"
    assert settings["LISTEN"] == "0.0.0.0"
    assert settings["PORT"] == 8888
    assert settings["SECRET_KEY"].startswith("django-insecure")  # DEBUG: a development key
    assert settings["SESSION_COOKIE_SECURE"] is False  # follows DEBUG
    assert settings["SECURE_PROXY_SSL_HEADER"] is None


def test_service_settings_require_a_secret_key_outside_debug(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY: is required when DEBUG is off"):
        load(ServiceSettings, {"DEBUG": "false"}, {"__name__": "svc.settings"})


def test_service_urls(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load(
        ServiceSettings,
        {
            "DEBUG": "true",
            "DATABASE_URL": "postgres://app:pw@db.internal:5433/orders",
            "TEST_DATABASE_URL": "postgres://app:pw@db.internal:5433/orders_ci",
            "CACHE_URL": "redis://cache:6379/2",
            "EMAIL_URL": "smtp+tls://mailer:p%40ss@smtp.example.com:587",
            "SECURE_PROXY_SSL_HEADER": "true",
            "PAGE_SIZE": "50",
        },
        {"__name__": "svc.settings"},
    )
    database = settings["DATABASES"]["default"]
    assert (database["ENGINE"], database["HOST"], database["PORT"], database["NAME"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        5433,
        "orders",
    )
    assert database["TEST"]["NAME"] == "orders_ci"
    assert settings["CACHES"]["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings["KIT"]["PAGE_SIZE"] == 50
    if django.VERSION >= (6, 1):
        mailer = settings["MAILERS"]["default"]
        assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
        assert mailer["OPTIONS"] == {
            "host": "smtp.example.com",
            "port": 587,
            "username": "mailer",
            "password": "p@ss",
            "use_tls": True,
        }
        assert not any(key.startswith("EMAIL_") for key in settings)
    else:
        assert settings["EMAIL_HOST"] == "smtp.example.com"
        assert settings["EMAIL_USE_TLS"] is True


def test_mysql_urls_work_without_mysqlclient(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load(
        ServiceSettings,
        {"DEBUG": "1", "DATABASE_URL": "mysql://root@127.0.0.1:3306/kit"},
        {"__name__": "svc.settings"},
    )
    assert settings["DATABASES"]["default"]["OPTIONS"]["charset"] == "utf8mb4"
    import MySQLdb  # noqa: F401  (PyMySQL stands in when mysqlclient is absent)


@pytest.mark.parametrize(
    ("url", "hidden", "extra"),
    [
        ("postgres://postgres@127.0.0.1:5432/kit", ("psycopg", "psycopg2"), "postgres"),
        ("postgis://postgres@127.0.0.1:5432/kit", ("psycopg", "psycopg2"), "postgres"),
        ("mysql://root@127.0.0.1:3306/kit", ("MySQLdb", "pymysql"), "mysql"),
    ],
)
def test_a_database_url_without_its_driver_names_the_extra_to_install(
    tmp_path, monkeypatch, url, hidden, extra
):
    monkeypatch.chdir(tmp_path)
    for module in hidden:  # None in sys.modules: the module cannot be found or imported
        monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImproperlyConfigured) as caught:
        load(ServiceSettings, {"DEBUG": "1", "DATABASE_URL": url}, {"__name__": "svc.settings"})
    assert f"pip install 'django-service-kit[{extra}]'" in str(caught.value)


def test_a_service_started_without_the_postgresql_driver_says_what_to_install():
    hide = "import sys; sys.modules.update(psycopg=None, psycopg2=None); import runpy; "
    run = "sys.argv = ['manage.py', 'check']; runpy.run_path('manage.py', run_name='__main__')"
    environ = {key: value for key, value in os.environ.items() if key not in ServiceSettings.fields}
    environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/kit"
    result = subprocess.run(
        [sys.executable, "-c", hide + run], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/kit' needs a database driver" in result.stderr
    assert "pip install 'django-service-kit[postgres]'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(django.VERSION < (6, 1), reason="MAILERS is Django 6.1's")
def test_mailers_from_email_url_build_a_working_backend(tmp_path, monkeypatch, settings):
    monkeypatch.chdir(tmp_path)
    built = load(ServiceSettings, {"DEBUG": "1", "EMAIL_URL": "memorymail://"}, {"__name__": "s"})
    settings.MAILERS = built["MAILERS"]
    from django.core import mail

    mail.send_mail("Hi", "Body", "from@example.com", ["to@example.com"])
    assert [message.subject for message in mail.outbox][-1] == "Hi"


def test_env_example_documents_every_variable():
    text = render_env_example([ServiceSettings])
    for variable, _ in ServiceSettings.variables():
        assert f"{variable}=" in text
    assert "#PORT=8888" in text
    assert "#PAGE_SIZE=25" in text  # KIT defaults shown for KIT-backed variables


def test_env_example_command_writes_the_file(tmp_path):
    from django.core.management import call_command

    target = tmp_path / ".env.example"
    call_command("env_example", output=str(target))
    assert "#DATABASE_URL=" in target.read_text()


def run_manage(*args, **env):
    environ = {key: value for key, value in os.environ.items() if key not in ServiceSettings.fields}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_bad_environment_stops_startup_with_one_message_listing_all_problems():
    result = run_manage(
        "check",
        PORT="abc",
        DEBUG="maybe",
        DATABASE_URL="nonsense://",
        SECRET_KEY="not-long-enough-but-secret",
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: Invalid environment (4 problems)")
    assert "Traceback" not in result.stderr
    assert "PORT: 'abc' is not an integer" in result.stderr
    assert "DEBUG: 'maybe' is not a boolean" in result.stderr
    assert "DATABASE_URL: 'nonsense://' has an unsupported scheme" in result.stderr
    assert "not-long-enough-but-secret" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("url", "timeout"),
    [
        ("postgres://postgres@127.0.0.1:5432/kit", 5),
        ("mysql://root@127.0.0.1:3306/kit", 5),
        ("postgres://postgres@127.0.0.1:5432/kit?connect_timeout=12", 12),
    ],
)
def test_database_servers_get_a_connect_timeout(tmp_path, monkeypatch, url, timeout):
    monkeypatch.chdir(tmp_path)
    settings = load(ServiceSettings, {"DEBUG": "1", "DATABASE_URL": url}, {"__name__": "svc.settings"})
    assert settings["DATABASES"]["default"]["OPTIONS"]["connect_timeout"] == timeout


def test_sqlite_gets_no_connect_timeout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load(ServiceSettings, {"DEBUG": "1"}, {"__name__": "svc.settings"})
    assert "connect_timeout" not in settings["DATABASES"]["default"].get("OPTIONS", {})
