"""kit-startproject: package names, refused names and targets, atomic rendering, names in every file."""

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

import kit
from kit.startproject import (
    RENDERED_EXTENSIONS,
    RENDERED_NAMES,
    ProjectNameError,
    django_admin_command,
    package_name,
    start_project,
    template_dir,
)
from tests.template.support import BIN, REPO, TEMPLATE, project_env, project_files, run

NAMED_FILES = ("Dockerfile", "compose.yaml", "pyproject.toml", "README.md")


def kit_startproject(*args, cwd):
    return subprocess.run(
        [str(BIN / "kit-startproject"), *map(str, args)],
        cwd=cwd,
        env=project_env(),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "package"),
    [
        ("MyService", "myservice"),
        ("my-service", "my_service"),
        ("my_service", "my_service"),
        ("My-Service", "my_service"),
        ("orders.api", "orders_api"),
        ("svc2", "svc2"),
    ],
)
def test_names_become_valid_package_names(name, package):
    assert package_name(name) == package


@pytest.mark.parametrize("name", ["test", "rq", "redis", "django", "Django", "json"])
def test_names_of_installed_modules_are_refused(name):
    with pytest.raises(ProjectNameError, match="clashes with an installed Python module"):
        package_name(name)


@pytest.mark.parametrize("name", ["1service", "my service!", "", "-", "café", "class", "tests", "manage"])
def test_unusable_names_are_refused(name):
    with pytest.raises(ProjectNameError):
        package_name(name)


@pytest.mark.parametrize("name", ["redis", "test", "2fast"])
def test_the_command_refuses_a_bad_name_with_status_2_and_writes_nothing(tmp_path, name):
    result = kit_startproject(name, cwd=tmp_path)

    assert result.returncode == 2
    assert "error:" in result.stderr
    assert repr(name.lower()) in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_command_creates_the_folder_named_as_typed(tmp_path):
    result = kit_startproject("My-Service", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "My-Service" / "my_service" / "settings.py").is_file()
    assert (tmp_path / "My-Service" / "manage.py").stat().st_mode & 0o100  # executable
    assert "Created project my_service" in result.stdout


def test_a_non_empty_target_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "keep.txt").write_text("mine")

    result = kit_startproject("svc", "--directory", target, cwd=tmp_path)

    assert result.returncode == 2
    assert "not empty" in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["taken"]
    assert [path.name for path in target.iterdir()] == ["keep.txt"]


def test_an_empty_target_folder_is_used(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()

    assert start_project("svc", target) == target
    assert (target / "svc" / "urls.py").is_file()
    assert [path.name for path in tmp_path.iterdir()] == ["empty"]


def test_a_failing_render_leaves_nothing_behind(tmp_path):
    broken = tmp_path / "broken_template"
    shutil.copytree(TEMPLATE, broken)
    (broken / "project_name" / "zz_last.py-tpl").write_text("{% no_such_tag %}\n")
    work = tmp_path / "work"
    work.mkdir()

    result = kit_startproject("svc", "--directory", work / "deep" / "svc", "--template", broken, cwd=work)

    assert result.returncode != 0
    assert "no_such_tag" in result.stderr
    assert list(work.iterdir()) == []


def test_the_template_comes_from_the_checkout_in_an_editable_install():
    assert template_dir() == TEMPLATE


def test_every_template_file_is_rendered_by_the_documented_flags():
    """A file that is not rendered would keep its ``{{ project_name }}`` (django-admin copies it)."""
    suffixes = tuple(f".{extension}" for extension in RENDERED_EXTENSIONS)
    for path in TEMPLATE.rglob("*"):
        if path.is_file():
            output_name = path.name.removesuffix("-tpl")
            assert output_name.endswith(suffixes) or path.name in RENDERED_NAMES, path


@pytest.mark.parametrize(("name", "package"), [("MyService", "myservice"), ("my-service", "my_service")])
def test_rendered_files_carry_the_package_name(tmp_path, name, package):
    root = start_project(name, tmp_path / name)
    files = project_files(root)

    for leftover in ("{{", "}}", "{%", "%}"):
        assert not [path for path, text in files.items() if leftover in text], leftover
    for named in NAMED_FILES:
        if (TEMPLATE / named).exists():
            assert package in files[named], named
    assert f"{package}/.env.default" in files
    assert f'DJANGO_SETTINGS_MODULE = "{package}.settings"' in files["pyproject.toml"]
    assert f'name = "{package}"' in files["pyproject.toml"]
    assert f'"{package}.settings"' in files["manage.py"]
    assert f"# {package}\n" in files["README.md"]


def test_the_development_secret_key_is_generated_and_single_quoted(tmp_path):
    first = start_project("svc", tmp_path / "first")
    second = start_project("svc", tmp_path / "second")

    keys = []
    for root in (first, second):
        line = next(
            line
            for line in (root / "svc" / ".env.default").read_text().splitlines()
            if line.startswith("SECRET_KEY=")
        )
        assert re.fullmatch(r"SECRET_KEY='django-insecure-[^']{50}'", line), line
        keys.append(line)
    assert keys[0] != keys[1]


def test_django_admin_with_the_documented_flags_gives_the_same_project(tmp_path):
    (tmp_path / "admin").mkdir()
    _, *arguments = django_admin_command(TEMPLATE, "my_service")
    run([BIN / "django-admin", *arguments], cwd=tmp_path / "admin")
    ours = start_project("my-service", tmp_path / "ours")

    theirs = project_files(tmp_path / "admin" / "my_service")
    mine = project_files(ours)
    assert theirs.keys() == mine.keys()
    for path, text in mine.items():
        if path != "my_service/.env.default":
            assert theirs[path] == text, path
    assert "SECRET_KEY='django-insecure-" in theirs["my_service/.env.default"]


def test_the_docs_give_the_django_admin_flags():
    command = " ".join(django_admin_command("<template>", "myservice")[2:-1])
    assert command in (REPO / "docs" / "project-template.md").read_text()


def test_the_kit_dependency_range_admits_this_kit():
    pyproject = tomllib.loads((TEMPLATE / "pyproject.toml").read_text())
    (requirement,) = pyproject["project"]["dependencies"]
    name, _, spec = requirement.partition(">=")
    assert name == "django-service-kit[prod,postgres]"
    assert kit.__version__ in SpecifierSet(">=" + spec)


def test_pinned_requirements_match_the_kit_pins():
    def pins(path: Path) -> set[str]:
        lines = (line.strip() for line in path.read_text().splitlines())
        return {line for line in lines if line and not line.startswith(("#", "-r"))}

    kit_runtime = pins(REPO / "requirements" / "base.txt") | pins(REPO / "requirements" / "prod.txt")
    kit_runtime |= pins(REPO / "requirements" / "postgres.txt")  # compose.yaml runs PostgreSQL
    assert pins(TEMPLATE / "requirements.txt") == kit_runtime | {f"django-service-kit=={kit.__version__}"}
    development = pins(TEMPLATE / "requirements-dev.txt")
    assert development <= pins(REPO / "requirements" / "dev.txt")
    # respx: the upstreams fixture; moto: the S3 server of the upload tests (the object_storage fixture)
    assert {pin.split("==")[0] for pin in development} == {"pytest", "pytest-django", "respx", "moto[server]"}
    assert "-r requirements.txt" in (TEMPLATE / "requirements-dev.txt").read_text()
