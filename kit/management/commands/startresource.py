"""``manage.py startresource <app> <Model> [--plural NAME]``: a new app serving one model at /api/v1.

Renders the kit's ``resource`` app template (Django's ``TemplateCommand``, as ``startapp`` does) into
``<project>/<app>/``: the model with its initial migration, serializer, ``ModelFilter``, list and
detail views guarded by the rights ``<plural>:read|create|update|delete``, urls and admin; its tests
go to the project's ``tests/test_<app>.py``. The app is appended to ``PROJECT_APPS`` in settings.py
and its urls to ``api_v1`` in the root urlconf (see ``kit.scaffold``): ``manage.py migrate``, and the
tests pass.
"""

from __future__ import annotations

import re
import shutil
from argparse import ArgumentParser
from typing import Any

from django.apps import apps
from django.core.management.base import CommandError
from django.core.management.templates import TemplateCommand

from kit.scaffold import (
    API_URLS_LIST,
    APP_TEMPLATES,
    APPS_LIST,
    app_directory,
    append_to_list,
    current_project,
)

MODEL_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
PLURAL_NAME = re.compile(r"[a-z][a-z0-9_-]*")


def plural(word: str) -> str:
    """The English plural of a lower-case noun, by the regular rules (``--plural`` for the others)."""
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


class Command(TemplateCommand):
    help = "Creates an app with a model served at /api/v1/<plural>, wired into settings and urls."
    missing_args_message = "You must provide an app name and a model name."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("name", help="Name of the application (a Python identifier).")
        parser.add_argument("model", help="Name of the model (CamelCase), e.g. Book.")
        parser.add_argument("--plural", help="The resource name in URLs and rights (default: models).")

    def handle(self, **options: Any) -> None:  # type: ignore[override]
        app, model = options.pop("name"), options.pop("model")
        if not MODEL_NAME.fullmatch(model):
            raise CommandError(f"{model!r} is not a model name: CamelCase letters and digits, e.g. Book")
        resource = options.pop("plural") or plural(model.lower())
        if not PLURAL_NAME.fullmatch(resource):
            raise CommandError(f"{resource!r} is not a resource name: lower-case letters, digits, '_', '-'")
        if app in apps.app_configs:
            raise CommandError(f"an installed app already has the label {app!r}: choose another name")
        project = current_project()
        module = f"{project.package}.{app}"
        target = app_directory(project, app)
        tests = project.directory.parent / "tests"
        test_file = tests / f"test_{app}.py"
        if test_file.exists():
            raise CommandError(f"{test_file} already exists")
        # Every check before the first write: a refusal leaves the project as it was.
        new_settings = append_to_list(project.settings_file, APPS_LIST, f'"{module}",')
        new_urls = append_to_list(project.urls_file, API_URLS_LIST, f'path("", include("{module}.urls")),')

        options.update(
            template=str(APP_TEMPLATES / "resource"),
            extensions=["py"],
            files=[],
            project_package=project.package,
            app_module=module,
            model_name=model,
            model_snake=re.sub(r"(?<!^)(?=[A-Z])", "_", model).lower(),
            resource=resource,
        )
        super().handle("app", app, str(target), **options)
        if tests.is_dir():
            shutil.move(target / "tests.py", test_file)
        project.settings_file.write_text(new_settings)
        project.urls_file.write_text(new_urls)
        if options["verbosity"]:
            self.stdout.write(
                f"Created {module} ({target}): {model} at /api/v1/{resource}, rights {resource}:read, "
                f"{resource}:create, {resource}:update, {resource}:delete.\n"
                f"Added it to {APPS_LIST} in {project.settings_file.name} and to {API_URLS_LIST} in "
                f"{project.urls_file.name}.\nNext: python manage.py migrate && python manage.py test"
            )
