"""``kit-startproject NAME [--directory DIR] [--template DIR]``: create a service from the template.

The package name is derived from NAME: lower case, with every ``-``, ``.`` or space turned into
``_`` (``MyService`` -> ``myservice``, ``my-service`` -> ``my_service``, ``my_service`` stays).
It must then start with a letter and hold only letters, digits and ``_``, and be no keyword, no
installed module (``test``, ``django``, ``redis``...) and no name the template uses itself
(``tests``, ``manage``).

The project folder is ``./NAME`` (as typed) unless ``--directory`` says otherwise; it must not exist
or be empty. The template is rendered by Django's own ``startproject`` into a temporary folder next
to the target, which is moved into place only when everything was written: a failure leaves nothing
behind.
"""

from __future__ import annotations

import argparse
import keyword
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path

#: File extensions and file names rendered as Django templates; everything else is copied as is.
#: ``django-admin startproject --template <dir> -e <extensions> -n <names> NAME`` needs the same.
RENDERED_EXTENSIONS = ("py", "toml", "md", "yaml", "txt", "default")
RENDERED_NAMES = ("Dockerfile", ".dockerignore", ".gitignore")

#: Names the template itself uses at the top of a project.
RESERVED_NAMES = frozenset({"tests", "manage", "kit"})


class ProjectNameError(ValueError):
    """The project name cannot be used (the message says why)."""


def package_name(name: str) -> str:
    """The Python package name for a project NAME (see the module docstring for the rule)."""
    package = re.sub(r"[-. ]", "_", name.strip()).lower()
    if not re.fullmatch(r"[a-z][a-z0-9_]*", package):
        raise ProjectNameError(
            f"{name!r} does not give a valid package name ({package!r}): use letters, digits, "
            "'-' or '_', starting with a letter"
        )
    if keyword.iskeyword(package):
        raise ProjectNameError(f"{package!r} is a Python keyword: choose another name")
    if package in RESERVED_NAMES:
        raise ProjectNameError(f"{package!r} is used by the project template itself: choose another name")
    if find_spec(package) is not None:
        raise ProjectNameError(
            f"{package!r} clashes with an installed Python module of that name: choose another name"
        )
    return package


def template_dir() -> Path:
    """The project template: ``kit/project_template`` in a wheel, ``project_template/`` in a checkout."""
    kit_dir = Path(__file__).resolve().parent
    for candidate in (kit_dir / "project_template", kit_dir.parent / "project_template"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the kit's project template is missing from this installation")


def django_admin_command(template: Path | str, name: str) -> list[str]:
    """The equivalent ``django-admin startproject`` command line (for the docs and tests)."""
    return [
        "django-admin",
        "startproject",
        "--template",
        str(template),
        "-e",
        ",".join(RENDERED_EXTENSIONS),
        "-n",
        ",".join(RENDERED_NAMES),
        name,
    ]


def start_project(name: str, directory: Path | None = None, template: Path | None = None) -> Path:
    """Render the template for ``name`` into ``directory`` (default ``./NAME``); return the folder.

    Raises ``ProjectNameError`` for an unusable name, ``FileExistsError`` for a non-empty target.
    """
    package = package_name(name)
    target = Path(directory if directory is not None else name).expanduser().absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FileExistsError(f"{target} already exists and is not empty")
    source = template if template is not None else template_dir()
    if not source.is_dir():
        raise FileNotFoundError(f"template folder {source} does not exist")

    staging_parent = _nearest_existing(target.parent)
    staging = Path(tempfile.mkdtemp(prefix=".kit-startproject-", dir=staging_parent))
    try:
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a project folder is not
        _render(package, staging, source)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.rmdir()  # empty, checked above
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _render(package: str, into: Path, source: Path) -> None:
    from django.core.management import call_command
    from django.core.management.commands.startproject import Command as StartProject

    call_command(
        StartProject(),
        package,
        str(into),
        template=str(source),
        extensions=[",".join(RENDERED_EXTENSIONS)],
        files=[",".join(RENDERED_NAMES)],
        verbosity=0,
    )


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _nearest_existing(path: Path) -> Path:
    while not path.is_dir():
        path = path.parent
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kit-startproject",
        description="Create a django-service-kit service from the project template.",
        epilog="The package name is NAME in lower case with '-', '.' and spaces turned into '_' "
        "(MyService -> myservice, my-service -> my_service).",
    )
    parser.add_argument("name", metavar="NAME", help="project name, e.g. my-service")
    parser.add_argument(
        "--directory", type=Path, help="folder to create (default: ./NAME); must be absent or empty"
    )
    parser.add_argument("--template", type=Path, help="template folder (default: the kit's own)")
    args = parser.parse_args(argv)

    # The template is rendered standalone: a settings module of some other project must not load.
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    try:
        package = package_name(args.name)
        target = start_project(args.name, args.directory, args.template)
    except (ProjectNameError, FileExistsError, FileNotFoundError) as error:
        parser.error(str(error))  # exits with status 2
    print(f"Created project {package} in {target}")
    print(f"Next: cd {target} && python manage.py migrate && python manage.py runserver")
    return 0


if __name__ == "__main__":
    sys.exit(main())
