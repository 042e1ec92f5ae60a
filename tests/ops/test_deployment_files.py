"""The template's Dockerfile, compose.yaml and .dockerignore, and the kit's own compose.yaml.

No Docker engine here: the files are rendered as startproject renders them, parsed, and checked for
what they reference (files, management commands, modules, environment variables). The commands
themselves run against real services in test_scale_out.py.
"""

import re
import shlex
from importlib.util import find_spec
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands
from django.template import Context, Engine

from kit.conf import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "project_template"
PROJECT = "orders"

#: Environment variables of the compose files that other parts of the kit read outside ServiceSettings.
OTHER_VARIABLES = {"TASKS_BACKEND", "REDIS_URL", "KIT_VENV", "KIT_TEST_POSTGRES_URL", "KIT_TEST_REDIS_URL"}


def render(name: str) -> str:
    """The file as ``startproject`` renders it for a project named ``orders``."""
    source = (TEMPLATE / name).read_text()
    return Engine().from_string(source).render(Context({"project_name": PROJECT}, autoescape=False))


def instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", dockerfile)
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def stages(dockerfile: str) -> dict[str, list[tuple[str, str]]]:
    """The instructions of each named stage, in order (``FROM x AS name`` starts a stage)."""
    result: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for keyword, arguments in instructions(dockerfile):
        if keyword == "FROM":
            match = re.fullmatch(r"(\S+) AS (\w+)", arguments)
            assert match, f"unnamed stage: FROM {arguments}"
            current = result[match.group(2)] = [(keyword, match.group(1))]
        else:
            current.append((keyword, arguments))
    return result


def exec_form(arguments: str) -> list[str]:
    assert arguments.startswith("["), f"use the exec form (signals reach the process): {arguments}"
    return yaml.safe_load(arguments)


def assert_runs_existing_command(argv: list[str]) -> None:
    """``python manage.py CMD ...`` names a management command; ``python -m MOD`` an existing module."""
    assert Path(argv[0]).name == "python", argv
    if argv[1] == "-m":
        assert find_spec(argv[2]) is not None, argv
        return
    assert argv[1] == "manage.py", argv
    if argv[2] == "runworker" and "runworker" not in get_commands():
        pytest.skip("manage.py runworker arrives with the task backend")
    assert argv[2] in get_commands(), f"no management command {argv[2]!r}"


@pytest.fixture(scope="module")
def dockerfile() -> dict[str, list[tuple[str, str]]]:
    return stages(render("Dockerfile"))


def test_the_dockerfile_has_server_worker_and_websockets_targets_server_by_default(dockerfile):
    assert list(dockerfile) == ["build", "runtime", "worker", "websockets", "server"]
    assert dockerfile["worker"][0] == ("FROM", "runtime")
    assert dockerfile["websockets"][0] == ("FROM", "runtime")
    assert dockerfile["server"][0] == ("FROM", "runtime")


def test_the_final_images_hold_no_compilers_and_run_unprivileged(dockerfile):
    runtime = dockerfile["runtime"]
    assert runtime[0][1].startswith("python:") and runtime[0][1].endswith("-slim")
    text = " ".join(arguments for _, arguments in runtime + dockerfile["server"] + dockerfile["worker"])
    assert "apt-get" not in text and "build-essential" not in text and "gcc" not in text
    assert "build-essential" in " ".join(arguments for _, arguments in dockerfile["build"])
    users = [arguments for keyword, arguments in runtime if keyword == "USER"]
    assert users == ["app"]
    copies = [arguments for keyword, arguments in runtime if keyword == "COPY"]
    assert copies == ["--from=build /venv /venv", "--from=build /app /app"]


def test_the_dockerfile_references_files_of_the_template(dockerfile):
    for keyword, arguments in dockerfile["build"]:
        if keyword == "COPY":
            *sources, _ = shlex.split(arguments)
            for source in sources:
                assert source == "." or (TEMPLATE / source).exists(), f"COPY {source}: no such template file"
    assert (TEMPLATE / "manage.py-tpl").exists()


def test_the_dockerfile_commands_exist(dockerfile):
    server_cmd = [arguments for keyword, arguments in dockerfile["server"] if keyword == "CMD"]
    assert exec_form(server_cmd[-1]) == ["python", "manage.py", "serve"]
    assert_runs_existing_command(exec_form(server_cmd[-1]))
    healthcheck = next(arguments for keyword, arguments in dockerfile["runtime"] if keyword == "HEALTHCHECK")
    probe = exec_form(healthcheck.split("CMD", 1)[1].strip())
    assert probe == ["python", "-m", "kit.health.probe", "/health/live"]
    assert_runs_existing_command(probe)
    assert ("HEALTHCHECK", "NONE") in dockerfile["worker"]
    collect = [arguments for keyword, arguments in dockerfile["build"] if "collectstatic" in arguments]
    assert collect and "collectstatic" in get_commands()
    worker_cmd = [arguments for keyword, arguments in dockerfile["worker"] if keyword == "CMD"]
    assert exec_form(worker_cmd[-1]) == ["python", "manage.py", "runworker", "--with-scheduler"]
    assert_runs_existing_command(exec_form(worker_cmd[-1]))
    websockets_cmd = [arguments for keyword, arguments in dockerfile["websockets"] if keyword == "CMD"]
    assert exec_form(websockets_cmd[-1]) == ["python", "manage.py", "serve", "--websockets"]


def test_the_dockerignore_keeps_secrets_and_development_defaults_out():
    ignored = render(".dockerignore").splitlines()
    for entry in (".git", ".env", "**/.env.default", ".venv*", "*.sqlite3", "staticfiles"):
        assert entry in ignored


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(render("compose.yaml"))


def test_compose_runs_the_whole_service(compose):
    assert compose["name"] == PROJECT
    assert set(compose["services"]) == {
        "postgres",
        "redis",
        "minio",
        "bucket",
        "migrate",
        "server",
        "websockets",
        "worker",
    }
    services = compose["services"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    # Every worker runs a scheduler (retry delays, periodic tasks): each run is claimed once in Redis.
    assert services["worker"]["command"] == ["python", "manage.py", "runworker", "--with-scheduler"]
    assert services["migrate"]["restart"] == "no"
    for name in ("server", "websockets", "worker"):
        assert services[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert services["migrate"]["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert services["server"]["deploy"]["replicas"] == "${SERVER_REPLICAS:-1}"
    assert services["worker"]["deploy"]["replicas"] == "${WORKER_REPLICAS:-1}"
    assert services["server"]["build"]["target"] == "server"
    assert services["worker"]["build"]["target"] == "worker"
    assert services["websockets"]["build"]["target"] == "websockets"
    assert services["websockets"]["command"] == ["python", "manage.py", "serve", "--websockets"]
    assert services["websockets"]["environment"]["CHANNEL_LAYER_URL"] == "redis://redis:6379/2"
    probe = ["CMD", "python", "-m", "kit.health.probe", "/health/ready"]
    assert services["server"]["healthcheck"]["test"] == probe
    environment = services["server"]["environment"]
    assert environment["DATABASE_URL"] == f"postgres://{PROJECT}:{PROJECT}@postgres:5432/{PROJECT}"
    assert environment["DEBUG"] == "false"
    assert services["postgres"]["environment"]["POSTGRES_DB"] == PROJECT


def test_compose_commands_and_variables_exist(compose):
    known = {name for name, _ in ServiceSettings.variables()} | OTHER_VARIABLES
    assert_runs_existing_command(compose["services"]["server"]["healthcheck"]["test"][1:])
    for name in ("migrate", "server", "websockets", "worker"):
        service = compose["services"][name]
        assert set(service["environment"]) - known == set(), f"{name}: unknown variables"
    for name in ("migrate", "server", "worker"):
        assert_runs_existing_command(compose["services"][name]["command"][:3])


def test_the_kits_own_compose_file():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "setup", "server", "worker"}
    assert "scripts/bootstrap" in services["setup"]["command"][-1]
    assert (ROOT / "scripts" / "bootstrap").exists()
    assert services["server"]["command"] == ["/venv/bin/python", "manage.py", "serve"]
    known = {name for name, _ in ServiceSettings.variables()} | OTHER_VARIABLES
    assert_runs_existing_command(services["server"]["healthcheck"]["test"][1:])
    for name in ("server", "worker"):
        assert set(services[name]["environment"]) - known == set()
    for name in ("server", "worker"):
        assert_runs_existing_command(services[name]["command"])
