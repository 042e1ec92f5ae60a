"""``Option``: how one ``KIT`` option is declared.

Each option is declared once, in :mod:`kit.conf.catalog`; the ``KIT`` defaults
(:data:`kit.conf.options.DEFAULTS`), the environment variables that set options
(:class:`kit.conf.ServiceSettings`) and the reference tables of docs/settings.md
(:mod:`kit.conf.reference`) are all derived from those declarations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kit.conf.fields import Field


@dataclass(frozen=True)
class Option:
    """One ``KIT`` option.

    ``env`` is the field of the environment variable (of the same name) that sets the option, if
    any; its ``help`` is the one-line text of ``.env.example``. ``doc`` is the option's Markdown
    description in docs/settings.md, ``section`` the heading it is listed under there, and
    ``default_doc`` replaces the default in the docs when the value alone would mislead (a default
    computed at run time). ``import_string`` options hold dotted paths imported on first access.
    ``fallback`` names a setting (``"REST_FRAMEWORK.PAGE_SIZE"``) whose value is used, when it is
    set, in place of ``default`` while ``KIT`` does not set the option.
    """

    name: str
    default: Any
    doc: str
    section: str
    env: Field | None = None
    import_string: bool = False
    default_doc: str = ""
    fallback: str | None = None

    def __post_init__(self) -> None:
        if self.env is not None:
            self.env.name = self.name
            self.env.setting = f"KIT.{self.name}"
            self.env.shown_default = self.default
            self.env.default_doc = self.env.default_doc or self.default_doc

    @property
    def secret(self) -> bool:
        """Whether the option's value is a secret (masked in messages, logs and ``.env.example``)."""
        return self.env is not None and self.env.secret
