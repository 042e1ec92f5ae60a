"""schemathesis calls every operation of the test project's schema with generated requests,
in-process through the WSGI application: no answer may be a 5xx or differ from the document."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kit.openapi.generators import SchemaGenerator
from tests.example.models import Category, Item

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app(db):
    """The project's WSGI application, keeping the test's database transaction across requests.

    Like Django's test client, it does not close the connection when a request ends.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def example_data(db):
    tools = Category.objects.create(name="tools")
    for n in range(3):
        Item.objects.create(name=f"item {n}", count=n, category=tools)


def load_schema():
    """The document served at /api/schema/ (generated here: collection runs before the test setup)."""
    document = SchemaGenerator(urlconf="tests.project.urls").get_schema(public=True)
    return schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))


schema = load_schema()


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented(case, wsgi_app, example_data):
    case.call_and_validate(app=wsgi_app, checks=CHECKS)
