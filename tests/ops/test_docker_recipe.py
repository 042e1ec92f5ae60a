"""The Dockerfile's and compose.yaml's commands, run on a generated project without Docker.

A project is generated, copied into a build context as ``.dockerignore`` filters it, the build stage's
``collectstatic`` runs there with the Dockerfile's own environment, then the compose file's
``migrate``, the server image's ``CMD`` and both health check commands run against it.
"""

import fnmatch
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.ops.processes import free_port, http_get, stop, wait_until_serving
from tests.ops.test_deployment_files import exec_form, instructions
from tests.passes import sqlite_run_only
from tests.template.support import BIN, PYTHON, project_env, run

pytestmark = [pytest.mark.slow, sqlite_run_only]


def ignored(relative: str, patterns: list[str]) -> bool:
    """Whether Docker's build context leaves ``relative`` out (the patterns our .dockerignore uses)."""
    for pattern in patterns:
        if pattern.startswith("**/"):
            if fnmatch.fnmatch(Path(relative).name, pattern[3:]) or fnmatch.fnmatch(relative, pattern[3:]):
                return True
        elif fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative.split("/")[0], pattern):
            return True
    return False


def build_context(source: Path, target: Path) -> None:
    patterns = [
        line.strip()
        for line in (source / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source).as_posix()
        if path.is_file() and not ignored(relative, patterns):
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / relative)


def interpolate(value: object) -> str:
    """A compose value with its ``${VAR:-default}`` references at their defaults (unset variables)."""
    return re.sub(r"\$\{\w+(?::-([^}]*)|:\?[^}]*)?\}", lambda match: match.group(1) or "", str(value))


def python_command(argv: list[str]) -> list[str]:
    assert argv[0] == "python"
    return [PYTHON, *argv[1:]]


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """The generated project ``orders`` as the image's /app holds it, with its Dockerfile and compose."""
    root = tmp_path_factory.mktemp("docker")
    run([BIN / "kit-startproject", "orders", "--directory", root / "src"], cwd=root)
    app = root / "app"
    build_context(root / "src", app)
    compose = yaml.safe_load((root / "src" / "compose.yaml").read_text())
    return app, (root / "src" / "Dockerfile").read_text(), compose


def test_the_build_context_holds_no_secrets_or_development_defaults(image):
    app, _, _ = image
    assert (app / "manage.py").is_file()
    assert (app / "requirements.txt").is_file()
    assert not (app / "orders" / ".env.default").exists()
    assert not (app / "tests").exists()
    assert not list(app.rglob("*.sqlite3"))


def test_the_image_recipe_builds_serves_and_stops(image, tmp_path):
    app, dockerfile, compose = image
    collect = next(args for keyword, args in instructions(dockerfile) if "collectstatic" in args)
    *assignments, program, manage_py, command, option = shlex.split(collect)
    assert program == "python"
    build_env = dict(assignment.split("=", 1) for assignment in assignments)
    run([PYTHON, manage_py, command, option], cwd=app, env=build_env)
    assert (app / "staticfiles" / "admin" / "css" / "base.css.gz").is_file()

    port = free_port()
    runtime = {
        **{key: interpolate(value) for key, value in compose["services"]["server"]["environment"].items()},
        "SECRET_KEY": "a-production-secret-for-this-test-0123456789abcdef",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'orders.sqlite3'}",
        "CACHE_URL": "locmemcache://",
        "TASKS_BACKEND": "inprocess",
        "CHANNEL_LAYER_URL": "memory://",
        "STORAGE_URL": f"file://{tmp_path / 'media'}",
        "LISTEN": "127.0.0.1",
        "PORT": str(port),
        "GIT_REVISION": "abc1234",
    }
    run(python_command(compose["services"]["migrate"]["command"]), cwd=app, env=runtime)

    server_cmd = exec_form([args for keyword, args in instructions(dockerfile) if keyword == "CMD"][-1])
    log = tmp_path / "server.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            python_command(server_cmd),
            cwd=app,
            env=project_env(runtime),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(f"{base}/health/live", server, log)
        healthcheck = next(args for keyword, args in instructions(dockerfile) if keyword == "HEALTHCHECK")
        probes = [
            exec_form(healthcheck.split("CMD", 1)[1].strip()),
            compose["services"]["server"]["healthcheck"]["test"][1:],
        ]
        for probe in probes:
            assert subprocess.run(python_command(probe), env=project_env(runtime)).returncode == 0, probe
        status, body = http_get(f"{base}/status")
        assert status == 200
        assert b'"git_revision": "abc1234"' in body
        assert b'"name": "orders"' in body
        status, _ = http_get(f"{base}/static/admin/css/base.css", headers={"Accept-Encoding": "gzip"})
        assert status == 200
    finally:
        assert stop(server) == 0, log.read_text()
    output = log.read_text()
    assert '"logger": "gunicorn.error"' in output  # LOG_FORMAT=json from compose.yaml
