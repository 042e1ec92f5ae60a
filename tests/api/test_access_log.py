"""The access log: one line per request on ``kit.access``."""

import logging

import pytest

pytestmark = pytest.mark.django_db


def access_records(caplog):
    return [record for record in caplog.records if record.name == "kit.access"]


def test_one_line_per_request_with_method_path_status_duration_user_and_id(client, caplog):
    caplog.set_level(logging.INFO, logger="kit.access")
    client.get("/api/test/envelope?secret=token", HTTP_X_REQUEST_ID="log-me")
    [record] = access_records(caplog)
    message = record.getMessage()
    assert message.startswith("GET /api/test/envelope 200 ")
    assert "ms user=- request_id=log-me" in message
    assert "secret" not in message
    assert (record.method, record.path, record.status, record.user) == ("GET", "/api/test/envelope", 200, "-")
    assert record.duration_ms >= 0


def test_errors_are_logged_with_their_final_status(client, caplog):
    caplog.set_level(logging.INFO, logger="kit.access")
    client.get("/no/such/url")
    client.post("/api/test/get-only")
    assert [record.status for record in access_records(caplog)] == [404, 405]


def test_authenticated_user_is_logged_by_primary_key(client, caplog, django_user_model):
    user = django_user_model.objects.create_user("ann", password="pw")
    caplog.set_level(logging.INFO, logger="kit.access")
    client.get("/api/test/basic-auth", HTTP_AUTHORIZATION="Basic YW5uOnB3")  # ann:pw
    [record] = access_records(caplog)
    assert record.status == 200
    assert record.user == str(user.pk)


def test_nothing_is_logged_when_the_logger_is_off(client, caplog):
    caplog.set_level(logging.WARNING, logger="kit.access")
    client.get("/api/test/envelope")
    assert access_records(caplog) == []
