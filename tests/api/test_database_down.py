"""Database errors: a connection-level failure answers 503 ``service_unavailable``; anything else
(an unknown column, which MariaDB and SQLite raise as ``OperationalError``) is a 500. Every 5xx is
announced once with ``got_request_exception``; an outage logs its traceback once."""

import logging
import socket
import sqlite3

import pytest
from django.core.signals import got_request_exception
from django.db import OperationalError, connection

from kit.errors import problems
from kit.errors.problems import is_connection_failure
from tests.api.conftest import assert_problem

PATHS = ["/api/test/database", "/api/test/plain/database"]
BUG_PATHS = ["/api/test/database-bug", "/api/test/plain/database-bug"]


def lost_connection_error():
    """What the database's driver raises when the server goes away during a query."""
    if connection.vendor == "mysql":
        return connection.Database.OperationalError(2013, "Lost connection to server during query")
    if connection.vendor == "sqlite":
        return sqlite_busy_error()
    return connection.Database.OperationalError("server closed the connection unexpectedly")


def sqlite_busy_error():
    """A real ``database is locked`` from SQLite: a second connection meets a writer's lock."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/locked.sqlite3"
        writer = sqlite3.connect(path, isolation_level=None)
        reader = sqlite3.connect(path, timeout=0)
        try:
            writer.execute("BEGIN EXCLUSIVE")
            reader.execute("SELECT 1 FROM sqlite_master")
        except sqlite3.OperationalError as error:
            return error
        finally:
            writer.close()
            reader.close()
    raise AssertionError("SQLite did not report the lock")


@pytest.fixture
def failing_cursor(monkeypatch):
    """The database connection breaks: the driver raises its own connection error on use."""
    error = lost_connection_error()

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(connection, "create_cursor", broken)


@pytest.fixture
def announced():
    """The requests announced with Django's ``got_request_exception`` (error trackers listen)."""
    requests = []

    def receiver(sender, request, **kwargs):
        requests.append(request.path)

    got_request_exception.connect(receiver)
    yield requests
    got_request_exception.disconnect(receiver)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
def test_broken_connection_is_service_unavailable(api, failing_cursor, announced, caplog, path):
    problem = assert_problem(api.get(path), 503, "service_unavailable")
    assert problem["detail"] == "The database is unavailable; try again later."
    assert "server closed" not in str(problem) and "Lost connection" not in str(problem)
    [record] = [r for r in caplog.records if r.name == "kit.problems"]
    assert record.levelno == logging.ERROR
    assert announced == [path]


@pytest.mark.django_db
def test_an_outage_logs_one_line_per_request_and_its_traceback_once(api, failing_cursor, caplog, monkeypatch):
    monkeypatch.setattr(problems, "_outage_logged", False)  # no outage before this test's
    for _ in range(3):
        for path in PATHS:
            assert_problem(api.get(path), 503, "service_unavailable")
    records = [r for r in caplog.records if r.name == "kit.problems"]
    assert len(records) == 6
    assert all(r.getMessage().startswith("Database unavailable (request ") for r in records)
    assert [r.exc_info is not None for r in records] == [True] + [False] * 5


@pytest.mark.postgres
@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_the_next_outage_logs_its_traceback_again_after_a_connection_succeeded(api, monkeypatch, caplog):
    monkeypatch.setattr(problems, "_outage_logged", False)  # no outage before this test's
    if connection.vendor == "sqlite":
        pytest.skip("needs a database server (SQLite's in-memory test database never reconnects)")
    saved = dict(connection.settings_dict)

    def outage():
        connection.close()
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connection.settings_dict, "PORT", closed_port())
        for _ in range(2):
            assert_problem(api.get("/api/test/database"), 503, "service_unavailable")
        connection.close()
        connection.settings_dict.update(saved)

    outage()
    assert api.get("/api/test/database").status_code == 200  # a new connection: the outage is over
    outage()
    records = [r for r in caplog.records if r.name == "kit.problems"]
    assert [r.exc_info is not None for r in records] == [True, False, True, False]


@pytest.mark.django_db
@pytest.mark.parametrize("path", BUG_PATHS)
def test_a_programming_error_is_a_reported_server_error_on_every_database(api, announced, caplog, path):
    problem = assert_problem(api.get(path), 500, "server_error")
    assert "no_such_column" not in str(problem)
    assert announced == [path]  # exactly once
    [record] = [r for r in caplog.records if r.name == "kit.problems"]
    assert record.levelno == logging.ERROR and record.exc_info is not None


def test_server_errors_are_announced_once(api, announced):
    assert_problem(api.get("/api/test/server-error"), 500, "server_error")
    assert_problem(api.get("/api/test/plain/server-error"), 500, "server_error")
    assert announced == ["/api/test/server-error", "/api/test/plain/server-error"]


def driver_error(error):
    """A Django database error wrapping ``error``, as Django raises it."""
    wrapped = OperationalError(*error.args)
    wrapped.__cause__ = error
    return wrapped


def test_connection_failures_are_told_from_bugs_on_every_driver():
    import psycopg
    import pymysql

    outages = [
        sqlite_busy_error(),
        pymysql.err.OperationalError(2003, "Can't connect to MySQL server on '127.0.0.1'"),
        pymysql.err.OperationalError(2006, "MySQL server has gone away"),
        pymysql.err.OperationalError(1040, "Too many connections"),
        psycopg.OperationalError("connection failed: Connection refused"),
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.errors.TooManyConnections("sorry, too many clients already"),
    ]
    bugs = [
        sqlite3.connect(":memory:"),
        pymysql.err.OperationalError(1054, "Unknown column 'no_such_column' in 'field list'"),
        pymysql.err.OperationalError(1213, "Deadlock found when trying to get lock"),
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
    ]
    try:
        bugs[0].execute("SELECT no_such_column")
    except sqlite3.OperationalError as error:
        bugs[0] = error
    assert [is_connection_failure(driver_error(error)) for error in outages] == [True] * len(outages)
    assert [is_connection_failure(driver_error(error)) for error in bugs] == [False] * len(bugs)


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.postgres
@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_unreachable_database_server_is_service_unavailable(api):
    if connection.vendor not in ("postgresql", "mysql"):
        pytest.skip("needs a database server (SQLite's test database lives in memory)")
    settings = connection.settings_dict
    saved = settings["HOST"], settings["PORT"]
    connection.close()
    settings["HOST"], settings["PORT"] = "127.0.0.1", closed_port()
    try:
        api_response = api.get("/api/test/database")
        plain_response = api.get("/api/test/plain/database")
    finally:
        connection.close()
        settings["HOST"], settings["PORT"] = saved
    assert_problem(api_response, 503, "service_unavailable")
    assert_problem(plain_response, 503, "service_unavailable")
