"""The OpenAPI document of a project generated from the template validates without warnings."""

import pytest

from tests.passes import sqlite_run_only
from tests.template.support import BIN, PYTHON, run

pytestmark = [pytest.mark.slow, sqlite_run_only]


@pytest.mark.parametrize("debug", ["true", "false"])
def test_generated_project_schema_is_valid_without_warnings(tmp_path, debug):
    root = tmp_path / "my-service"
    run([BIN / "kit-startproject", "my-service", "--directory", root], cwd=tmp_path)
    env = {"DEBUG": debug, "SECRET_KEY": "schema-test-7Hq2#x$Lm9&(vR4!tZ8^wK1@pN6*sB3=dF5+gJ0"}

    command = ["manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", "schema.yaml"]
    run([PYTHON, *command], root, env)

    schema = (root / "schema.yaml").read_text()
    assert "/api/v1/users/{id}:" in schema
    assert "application/problem+json" in schema
