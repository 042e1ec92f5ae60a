"""docs/tutorial.md followed literally, in a fresh process: every command and file on the page works.

The page's ```` ```sh ```` blocks are run line by line (``cd`` moves on), and each ```` ```python ````
block whose first line is ``# <path>`` is written to that file, or, when it reads
``# <path> (the <name> class|setting|function)``, replaces that top-level definition in it.
```` ```console ```` blocks are shown, not run (installing, serving). The tests the page writes run
through its own ``python manage.py test``; each of them must pass, and the files must pass the
generated project's ruff settings.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.passes import sqlite_run_only
from tests.template.support import BIN, PROJECT_PYTEST_ARGS, REPO, run

pytestmark = [pytest.mark.slow, sqlite_run_only]

TUTORIAL = REPO / "docs" / "tutorial.md"
BLOCK = re.compile(r"^```(?P<language>\w+)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
TARGET = re.compile(r"# (?P<path>[\w./-]+)(?: \(the (?P<name>\w+) (?:class|setting|function)\))?")


@dataclass(frozen=True)
class Step:
    """A command line to run, or a file (``path``) to write or a definition (``name``) in it to replace."""

    command: str = ""
    path: str = ""
    name: str | None = None
    code: str = ""


def tutorial_steps(text: str) -> list[Step]:
    steps: list[Step] = []
    for block in BLOCK.finditer(text):
        body = block["body"]
        if block["language"] == "sh":
            steps += [Step(command=line) for line in body.splitlines() if line.strip()]
        elif block["language"] == "python":
            first, _, rest = body.partition("\n")
            target = TARGET.fullmatch(first)
            assert target, f"a python block of the tutorial names no file: {first!r}"
            name = target["name"]
            steps.append(Step(path=target["path"], name=name, code=rest if name else body))
    return steps


def replace_definition(source: str, name: str, code: str) -> str:
    """``source`` with its top-level class, function or assignment ``name`` replaced by ``code``."""
    for node in ast.parse(source).body:
        targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
        if getattr(node, "name", None) == name or name in targets:
            lines = source.splitlines(keepends=True)
            return "".join(lines[: node.lineno - 1]) + code + "".join(lines[node.end_lineno :])
    raise AssertionError(f"no top-level definition {name!r} to replace")


@pytest.fixture(scope="module")
def followed(tmp_path_factory) -> tuple[Path, str]:
    """The project the tutorial builds, and the output of its last command (the test run)."""
    cwd = tmp_path_factory.mktemp("tutorial")
    env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTEST_ADDOPTS": " ".join([*PROJECT_PYTEST_ARGS, "-rA"]),
    }
    output = ""
    for step in tutorial_steps(TUTORIAL.read_text()):
        if step.command.startswith("cd "):
            cwd = cwd / step.command.removeprefix("cd ")
        elif step.command:
            output = run(["bash", "-c", step.command], cwd=cwd, env=env, timeout=300).stdout
        else:
            file = cwd / step.path
            code = replace_definition(file.read_text(), step.name, step.code) if step.name else step.code
            file.write_text(code)
    return cwd, output


def test_the_tutorial_builds_the_project_it_describes(followed):
    project, _ = followed
    assert project.name == "lending"
    assert (project / "lending" / "loans" / "migrations" / "0001_initial.py").is_file()
    assert (project / "lending" / "accounts" / "migrations" / "0002_alter_user_role.py").is_file()


def test_every_test_the_tutorial_writes_passes(followed):
    project, output = followed
    written = {
        f"{path.name}::{node.name}"
        for path in (project / "tests" / "test_catalog.py", project / "tests" / "test_loans.py")
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }
    passed = set(re.findall(r"^PASSED tests/(\S+)", output, re.MULTILINE))
    assert len(written) == 7
    assert written <= passed
    assert "failed" not in output


def test_its_files_pass_the_projects_ruff_settings(followed):
    project, _ = followed
    run([BIN / "ruff", "check", "--no-cache", "."], cwd=project)
    run([BIN / "ruff", "format", "--no-cache", "--check", "."], cwd=project)
