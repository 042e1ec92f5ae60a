"""kit-startproject from a built wheel (not the editable checkout): entry point and template included.

The wheel is built offline (``python -m build --no-isolation``, hatchling is a dev requirement) and
installed without dependencies into a fresh virtualenv that sees this virtualenv's packages through
a ``.pth`` line (so nothing is downloaded, and the checkout is not on its path).
"""

import sysconfig
from pathlib import Path

import pytest

from tests.passes import sqlite_run_only
from tests.template.support import PYTHON, REPO, run

pytestmark = [pytest.mark.slow, sqlite_run_only]


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory):
    """A fresh virtualenv with the kit installed from its wheel."""
    work = tmp_path_factory.mktemp("wheel")
    run([PYTHON, "-m", "build", "--wheel", "--no-isolation", "--outdir", work / "dist", REPO], cwd=work)
    (wheel,) = (work / "dist").glob("django_service_kit-*.whl")
    venv = work / "venv"
    run([PYTHON, "-m", "venv", "--without-pip", venv], cwd=work)
    python = venv / "bin" / "python"
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    venv_site = Path(run([python, "-c", code], cwd=work).stdout.strip())
    (venv_site / "kit_test_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run([PYTHON, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel], cwd=work)
    return venv


def test_the_entry_point_and_the_template_come_from_the_wheel(wheel_venv):
    assert (wheel_venv / "bin" / "kit-startproject").read_text().startswith(f"#!{wheel_venv}/bin/python")
    code = "import kit.startproject as s; print(s.__file__); print(s.template_dir())"
    module, template = run([wheel_venv / "bin" / "python", "-c", code], cwd=wheel_venv).stdout.split()
    assert module.startswith(str(wheel_venv))
    assert template.startswith(str(wheel_venv))
    assert template.endswith("kit/project_template")


def test_a_project_generated_from_the_wheel_works(wheel_venv, tmp_path):
    run([wheel_venv / "bin" / "kit-startproject", "MyService"], cwd=tmp_path)

    project = tmp_path / "MyService"
    assert (project / "myservice" / ".env.default").is_file()
    assert (project / ".gitignore").is_file()
    python = wheel_venv / "bin" / "python"
    assert "no issues" in run([python, "manage.py", "check"], cwd=project).stdout
    migrated = run([python, "manage.py", "migrate", "--noinput"], cwd=project).stdout
    assert "Applying kit." in migrated  # the kit's own migrations are in the wheel
    assert "Applying accounts.0001_initial" in migrated
    created = run([python, "manage.py", "startresource", "library", "Book"], cwd=project).stdout
    assert "/api/v1/books" in created  # the app templates are in the wheel
    assert (project / "myservice" / "library" / "migrations" / "0001_initial.py").is_file()
