"""schemathesis, every check, over a running template service (gunicorn, DEBUG off) as its admin.

It calls every operation of the document the service serves with generated requests, valid ones
and invalid ones, and follows the document's links between operations (stateful phase). No answer
may be a 5xx, break the document (status, content type, headers, body), accept a request the
document forbids or refuse one it allows.

One tolerance, written in ``schemathesis.toml`` below: on the users API a valid-looking body may
be refused by a rule JSON Schema cannot state: Django's password validators (common, too similar
to the username) and nobody changing their own role or activity (400), and an avatar whose bytes
are not an image (415: ``format: binary`` cannot say "a PNG").
The run is deterministic (same cases every time) and bounded by ``MAX_EXAMPLES``.
"""

import subprocess

import pytest

from tests.passes import sqlite_run_only
from tests.template.support import BIN

pytestmark = [pytest.mark.slow, sqlite_run_only]

MAX_EXAMPLES = 25

CONFIG = """
[[operations]]
include-path-regex = "^/api/v1/users"
include-method = ["POST", "PUT", "PATCH"]
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "415", "429"]
"""


def test_the_template_service_answers_as_its_document_says(template_service, tmp_path):
    (tmp_path / "schemathesis.toml").write_text(CONFIG)
    key = template_service.api_key
    command = [
        BIN / "schemathesis",
        "--config-file",
        "schemathesis.toml",
        "--no-color",
        "run",
        f"{template_service.url}/api/schema/?format=json",
        "--checks",
        "all",
        "--header",
        f"Authorization: Api-Key {key}",
        "--header",
        f"X-API-Key: {key}",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--generation-deterministic",
    ]

    result = subprocess.run(
        [str(part) for part in command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    report = "\n".join(line[:300] for line in (result.stdout + result.stderr).splitlines())
    assert result.returncode == 0, report
    assert "✅ Stateful" in result.stdout  # the phase following links between operations ran
