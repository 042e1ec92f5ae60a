"""One declaration per KIT option: the defaults, the environment variables and docs/settings.md's
tables all come from kit.conf.catalog, and the committed page matches what it renders."""

import subprocess
from pathlib import Path

from kit.conf import ServiceSettings, fields
from kit.conf.catalog import OPTIONS
from kit.conf.declaration import Option
from kit.conf.options import DEFAULTS, IMPORT_STRINGS
from kit.conf.reference import anchor, environment_table, option_tables, render_page

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "settings.md"

# The environment variables of ServiceSettings before the options were declared in one place: none
# may disappear or change its name.
VARIABLES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "LISTEN",
    "PORT",
    "TIME_ZONE",
    "LANGUAGE_CODE",
    "SERVICE_NAME",
    "SERVICE_VERSION",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "TEST_DATABASE_URL",
    "CACHE_URL",
    "CACHE_NAMESPACE",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "TASKS_BACKEND",
    "REDIS_URL",
    "TASK_QUEUES",
    "MAX_REQUEST_BODY_SIZE",
    "PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "COUNT_ESTIMATE_ABOVE",
    "CSV_MAX_ROWS",
    "API_DOCS_URL",
    "API_DOCS_ENABLED",
    "API_DOCS_PERMISSION",
    "AUTHORIZATION_BACKEND",
    "ROLES",
    "AUTH_THROTTLE_RATE",
    "NUM_PROXIES",
    "JWT_COOKIE_NAME",
    "JWT_COOKIE_DOMAIN",
    "JWT_COOKIE_SAMESITE",
    "CORS_ALLOWED_ORIGINS",
    "CORS_ALLOW_ALL_ORIGINS",
    "CORS_ALLOW_CREDENTIALS",
    "CORS_URLS_REGEX",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "LOG_QUEUE",
    "LOG_FILE",
    "LOG_FILE_MAX_BYTES",
    "LOG_FILE_BACKUP_COUNT",
    "GIT_REVISION",
    "STATUS_URL",
    "HEALTH_CHECK_TIMEOUT",
    "HEALTH_CHECK_ON_STARTUP",
    "METRICS_ENABLED",
    "METRICS_TOKEN",
    "SENTRY_DSN",
    "SENTRY_ENVIRONMENT",
    "SENTRY_TRACES_SAMPLE_RATE",
    "WEB_CONCURRENCY",
    "WEB_THREADS",
    "WEB_TIMEOUT",
    "WEB_GRACEFUL_TIMEOUT",
    "WEB_MAX_REQUESTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "CSRF_TRUSTED_ORIGINS",
]


def test_the_committed_page_is_what_the_declarations_render():
    text = PAGE.read_text()
    assert render_page(text) == text, "docs/settings.md is stale: run scripts/settings-reference"


def test_the_script_rewrites_a_stale_page_and_checks_a_current_one(tmp_path):
    stale = tmp_path / "settings.md"
    stale.write_text(PAGE.read_text().replace("| `PAGE_SIZE` |", "| `PAGE_SIZ` |"))
    script = str(ROOT / "scripts" / "settings-reference")
    check = subprocess.run([script, "--check", str(stale)], capture_output=True, text=True)
    assert check.returncode == 1
    assert "differs from the declarations" in check.stdout
    assert subprocess.run([script, str(stale)]).returncode == 0
    assert stale.read_text() == PAGE.read_text()
    assert subprocess.run([script, "--check", str(stale)]).returncode == 0


def test_defaults_and_import_strings_come_from_the_declarations():
    assert list(DEFAULTS) == [option.name for option in OPTIONS]
    assert len(DEFAULTS) == len(OPTIONS)  # no option declared twice
    assert {option.name: option.default for option in OPTIONS} == DEFAULTS
    assert {
        "API_DOCS_PERMISSION",
        "AUTHORIZATION_BACKEND",
        "PROBLEM_HANDLER_CLASS",
        "HEALTH_CHECKS",
        "HEALTH_HOOK",
    } == IMPORT_STRINGS


def test_every_variable_that_sets_an_option_is_the_options_own_field():
    variables = dict(ServiceSettings.variables())
    for option in OPTIONS:
        if option.env is not None:
            assert variables[option.name] is option.env
            assert option.env.setting == f"KIT.{option.name}"
    kit_targets = {field.setting for field in variables.values() if (field.setting or "").startswith("KIT.")}
    assert kit_targets == {f"KIT.{option.name}" for option in OPTIONS if option.env is not None}


def test_no_variable_is_lost():
    assert set(VARIABLES) - {name for name, _ in ServiceSettings.variables()} == set()


def test_tables_show_every_variable_and_option_with_its_default():
    environment = environment_table()
    assert (
        '| `PAGE_SIZE` | `25` | Default page size of lists. [`KIT["PAGE_SIZE"]`](#requests-and-responses). |'
    ) in environment
    assert "| `NUM_PROXIES` | `0` |" in environment
    assert "| `METRICS_TOKEN` | unset | Bearer token required by /metrics. Secret. [" in environment
    assert "| `SESSION_COOKIE_SECURE` | `true` unless DEBUG |" in environment
    assert "| `LOG_LEVEL` | `info` |" in environment
    options = option_tables()
    assert '| `REQUEST_ID_HEADER` | `"X-Request-ID"` |  |' in options
    assert '| `API_PATH_PREFIXES` | `["/api/"]` |  |' in options
    assert "| `WEB_CONCURRENCY` | 2 × CPUs + 1, at most 8 | `WEB_CONCURRENCY` |" in options  # noqa: RUF001
    assert options.startswith("### Service identity\n")
    assert anchor("Production server (manage.py serve)") == "production-server-managepy-serve"  # MkDocs' id


def test_an_option_declares_its_variable():
    option = Option(
        "EXAMPLE_LIMIT",
        default=3,
        doc="A limit.",
        section="Examples",
        env=fields.Int(min_value=1, help="Limit."),
    )
    assert option.env.setting == "KIT.EXAMPLE_LIMIT"
    assert option.env.describe_default() == "3"
    table = option_tables([option])
    assert table == (
        "### Examples\n\n| option | default | environment | meaning |\n|---|---|---|---|\n"
        "| `EXAMPLE_LIMIT` | `3` | `EXAMPLE_LIMIT` | A limit. |"
    )
