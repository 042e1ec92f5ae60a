"""A database that cannot be reached answers 503 ``service_unavailable``, not 500."""

import logging
import socket

import pytest
from django.db import connection

from tests.api.conftest import assert_problem


@pytest.fixture
def failing_cursor(monkeypatch):
    """The database connection breaks: the driver raises its own OperationalError on use."""

    def broken(*args, **kwargs):
        raise connection.Database.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "create_cursor", broken)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/test/database", "/api/test/plain/database"])
def test_broken_connection_is_service_unavailable(client, failing_cursor, caplog, path):
    problem = assert_problem(client.get(path), 503, "service_unavailable")
    assert problem["detail"] == "The database is unavailable; try again later."
    assert "server closed" not in str(problem)
    [record] = [r for r in caplog.records if r.name == "kit.problems"]
    assert record.levelno == logging.ERROR and record.exc_info is not None


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.postgres
@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_unreachable_database_server_is_service_unavailable(client):
    if connection.vendor not in ("postgresql", "mysql"):
        pytest.skip("needs a database server (SQLite's test database lives in memory)")
    settings = connection.settings_dict
    saved = settings["HOST"], settings["PORT"]
    connection.close()
    settings["HOST"], settings["PORT"] = "127.0.0.1", closed_port()
    try:
        api_response = client.get("/api/test/database")
        plain_response = client.get("/api/test/plain/database")
    finally:
        connection.close()
        settings["HOST"], settings["PORT"] = saved
    assert_problem(api_response, 503, "service_unavailable")
    assert_problem(plain_response, 503, "service_unavailable")
