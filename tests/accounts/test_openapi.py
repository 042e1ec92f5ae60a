"""The account endpoints in the OpenAPI document: bodies, answers in the envelope, problems."""

import os
import subprocess
import sys

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(capsys):
    document = SchemaGenerator(urlconf="tests.accounts.urls").get_schema(request=None, public=True)
    assert "Warning" not in capsys.readouterr().err  # drf-spectacular reports what it cannot guess
    return document


def test_every_flow_is_documented(schema):
    paths = {path for path in schema["paths"] if path.startswith("/api/auth/")}
    assert {
        "/api/auth/signup",
        "/api/auth/signup/verify",
        "/api/auth/password/reset",
        "/api/auth/password/reset/confirm",
        "/api/auth/password/change",
        "/api/auth/email/change",
        "/api/auth/email/change/confirm",
        "/api/auth/mfa",
        "/api/auth/mfa/totp",
        "/api/auth/mfa/totp/confirm",
        "/api/auth/mfa/totp/remove",
        "/api/auth/mfa/recovery-codes",
        "/api/auth/sessions",
        "/api/auth/sessions/{sid}",
    } <= paths


def test_answers_and_problems(schema):
    signup = schema["paths"]["/api/auth/signup"]["post"]
    assert {"202", "400", "409", "429"} <= set(signup["responses"])
    accepted = signup["responses"]["202"]["content"]["application/json"]["schema"]
    assert set(accepted["properties"]) == {"data", "meta"}
    assert signup["responses"]["400"] == {"$ref": "#/components/responses/BadRequest"}  # a problem
    sessions = schema["paths"]["/api/auth/sessions"]["get"]["responses"]
    assert sessions["200"]["content"]["application/json"]["schema"]["properties"]["data"]["type"] == "array"
    assert {"401", "403"} <= set(sessions)
    token = schema["paths"]["/api/auth/token"]["post"]
    assert {"401", "403", "429"} <= set(token["responses"])


def test_the_login_takes_the_second_factor(schema):
    body = schema["paths"]["/api/auth/token"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    name = body["$ref"].rsplit("/", 1)[-1]
    assert "otp" in schema["components"]["schemas"][name]["properties"]


def test_drf_spectaculars_own_generator_documents_the_views_in_a_fresh_process():
    """The kit's ``AutoSchema`` loads its drf-spectacular base when a generator gives it a view: in a
    new process, where no schema was used before, drf-spectacular's own generator accepts it."""
    script = (
        "import django; django.setup()\n"
        "from drf_spectacular.generators import SchemaGenerator\n"
        "document = SchemaGenerator(urlconf='tests.accounts.urls').get_schema(request=None, public=True)\n"
        "print(sorted(document['paths'])[0])\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.project.settings",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/api/auth/email/change"
