"""Where ``manage.py startapp`` and ``startresource`` put a new app, and how they wire it in.

The project package is the package of the settings module (``my_service.settings`` ->
``my_service``): a new app goes to ``<package>/<app>/`` with ``AppConfig.name = "<package>.<app>"``.
Wiring appends one line to a list assigned at the top level of a module (``PROJECT_APPS`` in
settings.py, ``api_v1`` in urls.py), written as ``NAME = [`` ... ``]`` on lines of their own: when
that list is not found exactly once, nothing is changed and the message says what to add by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

#: The kit's app templates (rendered by Django's ``TemplateCommand``).
APP_TEMPLATES = Path(__file__).resolve().parent / "app_templates"

#: The list of this project's apps in settings.py, and the API's URL list in the root urlconf.
APPS_LIST = "PROJECT_APPS"
API_URLS_LIST = "api_v1"


@dataclass(frozen=True)
class Project:
    """The running project: its package name and folder, settings and root urlconf files."""

    package: str
    directory: Path
    settings_file: Path
    urls_file: Path


def current_project() -> Project:
    """The project of the loaded settings; ``CommandError`` when the settings are not in a package."""
    settings_module = settings.SETTINGS_MODULE or ""
    package, _, _ = settings_module.rpartition(".")
    if not package:
        raise CommandError(
            f"The settings module {settings_module!r} is not inside a project package: "
            "run this command through the project's manage.py."
        )
    return Project(
        package=package,
        directory=_module_file(package).parent,
        settings_file=_module_file(settings_module),
        urls_file=_module_file(settings.ROOT_URLCONF),
    )


def app_directory(project: Project, app: str) -> Path:
    """``<package>/<app>/``; ``CommandError`` when it already exists."""
    directory = project.directory / app
    if directory.exists():
        raise CommandError(f"{directory} already exists")
    return directory


def append_to_list(path: Path, name: str, line: str) -> str:
    """The text of ``path`` with ``line`` appended to its top-level list ``name`` (not written).

    ``CommandError`` when the list is missing, written otherwise, already holds ``line``, or the
    result would not compile.
    """
    source = path.read_text()
    found = list(re.finditer(rf"^{re.escape(name)} = \[\n(?P<items>(?:.*\n)*?)\]$", source, re.MULTILINE))
    if len(found) != 1:
        raise CommandError(
            f"{path} has no list `{name} = [` ... `]` (one item a line, the brackets on lines of "
            f"their own) to add to: add this line to it by hand:\n    {line}"
        )
    if line in found[0]["items"].splitlines():
        raise CommandError(f"{path} already has {line.strip()!r} in {name}")
    end = found[0].end("items")
    changed = f"{source[:end]}    {line}\n{source[end:]}"
    try:
        compile(changed, str(path), "exec")
    except SyntaxError as error:
        raise CommandError(
            f"adding {line!r} to {name} in {path} would break it ({error}): add it by hand"
        ) from error
    return changed


def _module_file(module: str) -> Path:
    file = getattr(import_module(module), "__file__", None)
    if file is None:
        raise CommandError(f"{module!r} is not a module of files")
    return Path(file)
