"""``manage.py startapp <name> [directory]``: Django's, creating the app inside the project package.

Without a directory, the app goes to ``<project>/<name>/`` (no ``mkdir`` first), rendered from the
kit's ``app`` template so that ``AppConfig.name`` is ``"<project>.<name>"``, and is appended to
``PROJECT_APPS`` in settings.py (see ``kit.scaffold``). With a directory or ``--template``, it is
Django's ``startapp`` unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.startapp import Command as DjangoStartApp

from kit.scaffold import APP_TEMPLATES, APPS_LIST, app_directory, append_to_list, current_project


class Command(DjangoStartApp):
    help = "Creates an app in the project package (or in the given directory, as Django's startapp)."

    def handle(self, **options: Any) -> None:  # type: ignore[override]
        if options["directory"] is not None or options["template"] is not None:
            super().handle(**options)
            return
        project = current_project()
        module = f"{project.package}.{options['name']}"
        options["directory"] = str(app_directory(project, options["name"]))
        new_settings = append_to_list(project.settings_file, APPS_LIST, f'"{module}",')
        options.update(
            template=str(APP_TEMPLATES / "app"), project_package=project.package, app_module=module
        )
        super().handle(**options)
        project.settings_file.write_text(new_settings)
        if options["verbosity"]:
            self.stdout.write(f"Created {module} in {options['directory']}; added it to {APPS_LIST}.")
