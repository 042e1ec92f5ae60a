"""``kit.serializers.PasswordField``: Django's password validators check it, the document shows them."""

import pytest

from kit.openapi.generators import SchemaGenerator
from kit.testing import assert_is_problem

pytestmark = pytest.mark.django_db

VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


@pytest.fixture(autouse=True)
def validators(settings):
    settings.AUTH_PASSWORD_VALIDATORS = VALIDATORS


def test_the_document_shows_the_minimum_length_and_the_rules():
    schema = SchemaGenerator(urlconf="tests.openapi.urls").get_schema(public=True)

    password = schema["components"]["schemas"]["SignUpBodyRequest"]["properties"]["password"]
    assert password["type"] == "string"
    assert password["writeOnly"] is True
    assert password["minLength"] == 10
    assert "at least 10 characters" in password["description"]
    assert "entirely numeric" in password["description"]


@pytest.mark.urls("tests.openapi.urls")
@pytest.mark.parametrize(
    ("password", "code"), [("short-1", "password_too_short"), ("1234567890123", "password_entirely_numeric")]
)
def test_the_validators_refuse_bad_passwords(api_client, password, code):
    response = api_client.post("/sign-up", {"username": "ann", "password": password}, format="json")

    problem = assert_is_problem(response, status=400, code="validation_error")
    assert [(error["attr"], error["code"]) for error in problem["errors"]] == [("password", code)]


@pytest.mark.urls("tests.openapi.urls")
def test_a_good_password_is_taken_as_sent(api_client):
    response = api_client.post(
        "/sign-up", {"username": "ann", "password": " Unusual-pass-42 "}, format="json"
    )

    assert response.status_code == 200, response.content
