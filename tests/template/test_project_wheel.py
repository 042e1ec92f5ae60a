"""A generated project installed from its own wheel starts in production mode, never on development defaults.

The project's wheel is built offline (hatchling, ``--no-isolation``) and installed without
dependencies into a fresh virtualenv that sees this virtualenv's packages and the kit's checkout
through ``.pth`` lines; the service then starts in a fresh process, in a directory with no ``.env``, with
no environment of its own.
"""

import subprocess
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.passes import sqlite_run_only
from tests.template.support import BIN, PRODUCTION, PYTHON, REPO, project_env, run

pytestmark = [pytest.mark.slow, sqlite_run_only]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the project's wheel, a virtualenv where it is installed, the development secret key)."""
    work = tmp_path_factory.mktemp("project-wheel")
    project = work / "orders"
    run([BIN / "kit-startproject", "orders", "--directory", project], cwd=work)
    development_key = (project / "orders" / ".env.default").read_text().split("SECRET_KEY='")[1][:-2]
    run([PYTHON, "-m", "build", "--wheel", "--no-isolation", "--outdir", work / "dist", project], cwd=work)
    (wheel,) = (work / "dist").glob("orders-*.whl")
    venv = work / "venv"
    run([PYTHON, "-m", "venv", "--without-pip", venv], cwd=work)
    python = venv / "bin" / "python"
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    venv_site = Path(run([python, "-c", code], cwd=work).stdout.strip())
    (venv_site / "kit_test_dependencies.pth").write_text(f"{sysconfig.get_path('purelib')}\n{REPO}\n")
    run([PYTHON, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel], cwd=work)
    return wheel, venv, development_key


def start(venv: Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Start the installed service's settings in a fresh process; print DEBUG and the secret key."""
    code = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"
    return subprocess.run(
        [venv / "bin" / "python", "-c", code],
        cwd=cwd,
        env=project_env({"DJANGO_SETTINGS_MODULE": "orders.settings", **(env or {})}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_wheel_ships_no_development_defaults(installed):
    wheel, _, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "orders/settings.py" in names
    assert not [name for name in names if name.endswith((".env.default", ".env"))]


def test_an_installed_service_without_environment_refuses_to_start(installed, tmp_path):
    _, venv, development_key = installed
    result = start(venv, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY: is required when DEBUG is off" in result.stderr
    assert development_key not in result.stdout + result.stderr


def test_an_installed_service_ignores_development_defaults_shipped_anyway(installed, tmp_path):
    """Even a package that carries ``.env.default`` (another build tool) is not a checkout."""
    _, venv, development_key = installed
    code = "import orders, pathlib; print(pathlib.Path(orders.__file__).parent)"
    package = Path(run([venv / "bin" / "python", "-c", code], cwd=tmp_path).stdout.strip())
    shipped = package / ".env.default"
    shipped.write_text(f"DEBUG=true\nSECRET_KEY='{development_key}'\n")
    try:
        refused = start(venv, tmp_path)
        assert refused.returncode != 0
        assert "SECRET_KEY: is required when DEBUG is off" in refused.stderr
        production = start(venv, tmp_path, {"SECRET_KEY": PRODUCTION["SECRET_KEY"]})
        assert production.returncode == 0, production.stderr
        assert production.stdout.split()[0] == "False"
    finally:
        shipped.unlink()
