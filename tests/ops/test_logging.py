"""Logging: the configuration builder, and the real output of a configured process."""

import json
import logging
import re

import pytest

from kit.conf import secrets
from kit.logging import JSONFormatter, MaskSecretsFilter, TextFormatter, build_logging, logging_from_settings
from kit.request_id import RequestIDFilter
from tests.ops.processes import manage, process_env
from tests.passes import sqlite_run_only

pytestmark = sqlite_run_only

TEXT_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \[(\w+)\]\[([^\]]+)\] ([\w.]+): (.*)$")

SCRIPT = """
import logging
from django.conf import settings
from kit.request_id import request_id_var

log = logging.getLogger("app.module")
token = request_id_var.set("req-abc123")
log.info("hello %s", "world")
log.warning("key %s and header Authorization: Bearer eyJhbGciOi.payload.sig", settings.SECRET_KEY)
try:
    1 / 0
except ZeroDivisionError:
    log.exception("division failed")
request_id_var.reset(token)
log.info("outside a request", extra={"order": 42})
logging.getLogger("quiet").debug("not shown at INFO")

from django.test import Client

Client(HTTP_HOST="localhost").get("/ops-test/slow?seconds=0", HTTP_X_REQUEST_ID="req-http-42")
"""


def run_script(**env: str) -> list[str]:
    result = manage("shell", "--no-imports", "-c", SCRIPT, env=process_env(**env))
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line.strip()]


def test_text_lines_carry_level_request_id_and_logger():
    lines = run_script(LOG_FORMAT="text")
    parsed = [TEXT_LINE.match(line) for line in lines]
    records = [match.groups() for match in parsed if match]
    assert records[0] == ("INFO", "req-abc123", "app.module", "hello world")
    assert ("INFO", "-", "app.module", "outside a request") in records
    level, request_id, logger, message = records[-1]
    assert (level, request_id, logger) == ("INFO", "req-http-42", "kit.access")
    assert message.startswith("GET /ops-test/slow 200 ")
    assert "Traceback (most recent call last):" in lines
    assert not any("not shown" in line for line in lines)


def test_json_lines_are_one_object_each():
    records = [json.loads(line) for line in run_script(LOG_FORMAT="json")]
    hello, _warning, failure, outside, access = records
    assert set(hello) == {"timestamp", "level", "logger", "message", "request_id"}
    assert hello["level"] == "INFO"
    assert hello["logger"] == "app.module"
    assert hello["message"] == "hello world"
    assert hello["request_id"] == "req-abc123"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", hello["timestamp"])
    assert failure["exception"].startswith("Traceback (most recent call last):")
    assert "ZeroDivisionError" in failure["exception"]
    assert outside["request_id"] is None
    assert outside["order"] == 42
    assert access["logger"] == "kit.access"
    assert access["request_id"] == "req-http-42"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/ops-test/slow", 200)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_secrets_and_credentials_are_masked(log_format):
    secret_key = "a-very-secret-key-from-the-environment-0123456789"
    output = "\n".join(run_script(LOG_FORMAT=log_format, SECRET_KEY=secret_key))
    assert secret_key not in output
    assert "eyJhbGciOi" not in output
    assert "key ***** and header Authorization: *****" in output


def test_the_queue_handler_writes_everything_before_exit():
    records = [json.loads(line) for line in run_script(LOG_FORMAT="json", LOG_QUEUE="true")]
    assert [record["message"] for record in records[:4]] == [
        "hello world",
        "key ***** and header Authorization: *****",
        "division failed",
        "outside a request",
    ]
    assert "ZeroDivisionError" in records[2]["exception"]
    assert (records[4]["logger"], records[4]["request_id"]) == ("kit.access", "req-http-42")


def test_the_file_sink_rotates(tmp_path):
    log_file = tmp_path / "service.log"
    run_script(LOG_FILE=str(log_file), LOG_FILE_MAX_BYTES="100", LOG_FILE_BACKUP_COUNT="2")
    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == ["service.log", "service.log.1", "service.log.2"]
    assert "kit.access" in log_file.read_text()
    assert "outside a request" in (tmp_path / "service.log.1").read_text()


def test_log_level_is_applied():
    lines = run_script(LOG_LEVEL="debug")
    assert any("not shown at INFO" in line for line in lines)
    lines = run_script(LOG_LEVEL="error")
    assert [TEXT_LINE.match(line).group(1) for line in lines if TEXT_LINE.match(line)] == ["ERROR"]
    assert not any("kit.access" in line for line in lines)


def test_overrides_are_deep_merged():
    config = build_logging(
        level="warning",
        overrides={"loggers": {"noisy.library": {"level": "ERROR"}}, "root": {"level": "DEBUG"}},
    )
    assert config["root"] == {"level": "DEBUG", "handlers": ["console"]}
    assert config["loggers"]["noisy.library"] == {"level": "ERROR"}
    assert config["loggers"]["django"]["level"] == "WARNING"


def test_logging_from_settings_reads_the_kit_options():
    config = logging_from_settings(
        {"KIT": {"LOG_FORMAT": "json", "LOG_QUEUE": True}, "LOGGING_OVERRIDES": {"root": {"level": "ERROR"}}}
    )
    assert config["handlers"]["console"]["formatter"] == "json"
    assert config["root"] == {"level": "ERROR", "handlers": ["queue"]}
    assert config["handlers"]["queue"]["handlers"] == ["cfg://handlers.console"]


@pytest.mark.parametrize("bad", [{"level": "verbose"}, {"format": "xml"}])
def test_bad_options_are_refused(bad):
    with pytest.raises(ValueError):
        build_logging(**bad)


def make_record(message, *args, **extra):
    record = logging.LogRecord("app", logging.INFO, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    return record


def test_the_formatters_without_the_filter():
    record = make_record("plain %d", 3)
    assert TextFormatter().format(record).endswith(" [INFO][-] app: plain 3")
    assert json.loads(JSONFormatter().format(make_record("x")))["request_id"] is None


@pytest.mark.parametrize(
    ("message", "masked"),
    [
        ("Authorization: Bearer abc.def-ghi", "Authorization: *****"),
        ("{'HTTP_AUTHORIZATION': 'Basic dXNlcjpwYXNz'}", "{'HTTP_AUTHORIZATION': '*****'}"),
        ("X-API-Key: kit_1234567890", "X-API-Key: *****"),
        ("sent Api-Key kit_abcdef123", "sent Api-Key *****"),
        ("Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b", "Token *****"),
        ("nothing secret here", "nothing secret here"),
    ],
)
def test_credentials_are_masked(message, masked):
    record = make_record(message)
    assert MaskSecretsFilter().filter(record)
    assert record.getMessage() == masked


def test_empty_secrets_are_never_masked(settings):
    """An empty SECRET_KEY (Django refuses to hand it out) or password must not break the filter,
    nor be registered: an empty or blank secret would match everywhere."""
    settings.SECRET_KEY = ""
    settings.SECRET_KEY_FALLBACKS = ["", "    "]
    settings.KIT = {"METRICS_TOKEN": ""}
    for value in ("", " ", "\t\n  ", None):
        secrets.register(value)
    message = "spaces    and\ttabs, nothing secret"
    record = make_record(message)
    assert MaskSecretsFilter().filter(record)
    assert record.getMessage() == message
    assert secrets.mask(message) == message


def test_a_configured_secret_key_is_masked(settings):
    settings.SECRET_KEY = "another-secret-key-for-the-filter-test-0123456789"
    record = make_record("key=%s", settings.SECRET_KEY)
    assert MaskSecretsFilter().filter(record)
    assert record.getMessage() == "key=*****"


def test_a_path_with_a_newline_cannot_forge_a_text_line(client, caplog):
    caplog.set_level(logging.INFO, logger="kit.access")
    forged = "/x%0A2026-01-01 00:00:00,000 [INFO][-] kit.access: POST /api/auth/token 200"
    client.get(forged, HTTP_ACCEPT="application/json")
    [record] = [r for r in caplog.records if r.name == "kit.access"]
    line = TextFormatter().format(record)
    assert "\n" not in line
    assert "/x\\n2026-01-01 00:00:00,000 [INFO][-] kit.access" in line
    assert (
        TextFormatter()
        .format(make_record("tab\there \x1b[31mred\u2028"))
        .endswith("app: tab\\there \\x1b[31mred\\u2028")
    )


def test_json_lines_stay_one_line_for_any_line_splitter():
    """U+0085, U+2028 and U+2029 end a line for ``str.splitlines`` (and other log readers); JSON
    allows them raw in strings, so the JSON formatter escapes them like the other control characters."""
    script = (
        "from django.test import Client\n"
        "Client(HTTP_HOST='localhost').get('/x%C2%85%E2%80%A8%E2%80%A9%7F', HTTP_ACCEPT='application/json')"
    )
    result = manage("shell", "--no-imports", "-c", script, env=process_env(LOG_FORMAT="json"))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    [access] = [record for record in records if record["logger"] == "kit.access"]
    assert access["path"] == "/x\x85\u2028\u2029\x7f"
    assert "\\u0085\\u2028\\u2029\\u007f" in result.stdout


def test_a_traceback_keeps_its_lines_in_text():
    try:
        1 / 0
    except ZeroDivisionError:
        import sys

        record = logging.LogRecord("app", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    assert "\nTraceback (most recent call last):\n" in TextFormatter().format(record)


@pytest.mark.parametrize(
    "message",
    [
        "POST /api/auth/token 200 3.1ms user=- request_id=abc",
        "POST /api/auth/token 401 3.1ms user=- request_id=abc",
        "GET /v1/api-key 404 1.0ms user=- request_id=abc",
    ],
)
def test_the_status_of_token_endpoint_lines_is_not_masked(message):
    record = make_record(message)
    assert MaskSecretsFilter().filter(record)
    assert record.getMessage() == message


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/no/such/path", "/api/v1/items/999999"])
def test_django_error_lines_carry_the_request_id(client, caplog, path):
    caplog.handler.addFilter(RequestIDFilter())
    caplog.set_level(logging.WARNING, logger="django.request")
    response = client.get(path, HTTP_ACCEPT="application/json", HTTP_X_REQUEST_ID="req-404-line")
    assert response.status_code in (401, 404)
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.request_id == "req-404-line"
    assert record.getMessage().endswith(path)
