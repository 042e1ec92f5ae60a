"""Declarative settings schemas: typed environment variables applied to a settings module.

    class GeneralSettings(SettingsSchema):
        DEBUG = fields.Bool(default=False)
        PORT = fields.Int(default=8888, min_value=1, max_value=65535)

    class DatabaseSettings(SettingsSchema):
        NAME = fields.Str()          # reads DATABASE_NAME
        class Meta:
            prefix = "DATABASE_"

    GeneralSettings().load_from_env(globals())

A schema may also read the environment variables declared with ``KIT`` options
(``class ServiceSettings(SettingsSchema, options=OPTIONS)``): each option's ``env`` field, placed
after the schema's own fields, writes ``KIT[<name>]``.

Where a value comes from, highest first: the real environment, ``.env`` in the working
directory, ``.env.default`` beside the settings module (only in a checkout: when ``manage.py`` is
beside the settings package, never in an installed package), the value already in settings.py, the
field's default. Every invalid or missing variable is reported in one ``ImproperlyConfigured``;
secret values never appear in it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from dotenv import dotenv_values

from kit.conf import secrets
from kit.conf.declaration import Option
from kit.conf.fields import MISSING, Field, Settings

#: Every schema class that has loaded settings in this process (for ``manage.py env_example``).
loaded_schemas: list[type[SettingsSchema]] = []


class SettingsSchema:
    """A group of environment variables; subclass it and declare fields as class attributes."""

    fields: ClassVar[dict[str, Field]] = {}

    class Meta:
        prefix = ""

    def __init_subclass__(cls, *, options: Iterable[Option] = (), **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        collected: dict[str, Field] = {}
        for base in reversed(cls.__mro__[1:]):
            collected.update(getattr(base, "fields", {}))
        for name, value in list(vars(cls).items()):
            if isinstance(value, Field):
                value.name = name
                collected[name] = value
        for option in options:
            if option.env is not None:
                collected[option.name] = option.env
        cls.fields = collected

    @classmethod
    def prefix(cls) -> str:
        return getattr(cls.Meta, "prefix", "")

    @classmethod
    def variables(cls) -> Iterator[tuple[str, Field]]:
        """(environment variable name, field) pairs in declaration order."""
        for name, field in cls.fields.items():
            yield cls.prefix() + name, field

    def load_from_env(self, settings: Settings, *, environ: Mapping[str, str] | None = None) -> Settings:
        """Apply the environment to ``settings`` (a settings module's ``globals()``)."""
        source = read_sources(settings, environ)
        errors: list[str] = []
        for variable, field in self.variables():
            target = field.setting or (self.prefix() + field.name)
            try:
                self._load_one(settings, source, variable, field, target)
            except ValueError as error:
                errors.append(f"{variable}: {error}")
        errors.extend(self.finalize(settings))
        if errors:
            lines = "\n".join(f"  - {line}" for line in errors)
            raise ImproperlyConfigured(
                f"Invalid environment ({len(errors)} problem{'s' * (len(errors) > 1)}):\n{lines}"
            )
        if type(self) not in loaded_schemas:
            loaded_schemas.append(type(self))
        return settings

    def _load_one(
        self, settings: Settings, source: Mapping[str, str], variable: str, field: Field, target: str
    ) -> None:
        raw = source.get(variable) or None  # an empty variable counts as unset
        if raw is not None:
            for part in field.secret_parts(raw):
                secrets.register(part)
            try:
                value = field.parse(raw)
            except ValueError as error:
                raise ValueError(f"{field.display(raw)} {error}") from None
        elif field.is_set(settings, target):
            return
        else:
            value = field.default_for(settings)
            if value is MISSING:
                if field.required:
                    raise ValueError("is required but not set")
                return
            if isinstance(value, str) and value:
                value = field.parse(value)  # string defaults are written like the variable
        if field.secret and isinstance(value, str) and value:
            secrets.register(value)
        field.apply(settings, target, value)

    def finalize(self, settings: Settings) -> list[str]:
        """Derive settings from others after all fields are applied; return problems found."""
        return []


def read_sources(settings: Settings, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Merge the value sources: ``.env.default`` < ``.env`` (working directory) < environment."""
    merged: dict[str, str] = {}
    module_file = settings.get("__file__")
    if module_file:
        merged.update(_read_env_file(development_defaults_path(Path(module_file))))
    merged.update(_read_env_file(Path.cwd() / ".env"))
    merged.update(os.environ if environ is None else environ)
    return merged


def development_defaults_path(settings_file: Path) -> Path | None:
    """``.env.default`` beside the settings module, when that package lies in a project checkout.

    A checkout has ``manage.py`` beside the settings package; an installed project (a wheel in
    site-packages) has not, so its development defaults (DEBUG on, a development key) never apply
    there, even if a packaging tool shipped the file: the service then starts in production mode
    and requires ``SECRET_KEY``.
    """
    package = settings_file.parent
    return package / ".env.default" if (package.parent / "manage.py").is_file() else None


def _read_env_file(path: Path | None) -> dict[str, str]:
    if path is None or not path.is_file():
        return {}
    return {key: value for key, value in dotenv_values(path).items() if value is not None}
