"""The reference tables of docs/settings.md, rendered from the declarations.

The page keeps its prose; the tables between the markers ``<!-- generated: <part> -->`` and
``<!-- end: <part> -->`` are rendered here: ``environment variables`` from
:class:`kit.conf.ServiceSettings`, ``KIT options`` from :data:`kit.conf.catalog.OPTIONS`.
``scripts/settings-reference`` rewrites the page; a test fails when the page differs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from kit.conf.catalog import OPTIONS
from kit.conf.declaration import Option
from kit.conf.fields import COMPUTED, Field
from kit.conf.schema import SettingsSchema
from kit.conf.service import ServiceSettings


def environment_table(schema: type[SettingsSchema] = ServiceSettings) -> str:
    """One row per environment variable of ``schema``: default, meaning, the setting it writes."""
    sections = {option.name: option.section for option in OPTIONS}
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for variable, field in schema.variables():
        meaning = field.doc + (" Secret." if field.secret else "")
        if field.setting and "." in field.setting:
            head, _, key = field.setting.partition(".")
            target = f'`{head}["{key}"]`'
            if head == "KIT" and key in sections:
                target = f"[{target}](#{anchor(sections[key])})"
            meaning += f" {target}."
        rows.append(f"| `{variable}` | {_environment_default(field)} | {meaning} |")
    return "\n".join(rows)


def option_tables(options: Iterable[Option] = OPTIONS) -> str:
    """A ``###`` heading per docs section, then one row per option: default, variable, meaning."""
    parts: list[str] = []
    for section, members in _by_section(options).items():
        rows = [f"### {section}", "", "| option | default | environment | meaning |", "|---|---|---|---|"]
        for option in members:
            variable = f"`{option.name}`" if option.env is not None else ""
            meaning = option.doc + (" Secret." if option.secret else "")
            rows.append(f"| `{option.name}` | {_option_default(option)} | {variable} | {meaning} |")
        parts.append("\n".join(rows))
    return "\n\n".join(parts)


PARTS: dict[str, Callable[[], str]] = {
    "environment variables": environment_table,
    "KIT options": option_tables,
}


def render_page(text: str) -> str:
    """``text`` (docs/settings.md) with every generated part rendered anew."""
    for part, render in PARTS.items():
        start, end = f"<!-- generated: {part} -->", f"<!-- end: {part} -->"
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
        if not pattern.search(text):
            raise ValueError(f"docs/settings.md has no {start} ... {end} markers")
        generated = f"{start}\n\n{render()}\n\n{end}"
        text = pattern.sub(lambda _match: generated, text)  # noqa: B023 (called at once)
    return text


def anchor(heading: str) -> str:
    """The id MkDocs gives a heading (Python-Markdown's ``toc`` slugify)."""
    slug = re.sub(r"[^\w\s-]", "", unicodedata.normalize("NFKD", heading)).strip().lower()
    return re.sub(r"[-\s]+", "-", slug)


def _by_section(options: Iterable[Option]) -> dict[str, list[Option]]:
    sections: dict[str, list[Option]] = {}
    for option in options:
        sections.setdefault(option.section, []).append(option)
    return sections


def _environment_default(field: Field) -> str:
    if field.default_doc:
        return field.default_doc
    described = field.describe_default()
    if described == COMPUTED:
        return "computed"
    if not described:
        return "empty" if field.default == [] else "unset"
    return f"`{described}`"


def _option_default(option: Option) -> str:
    return option.default_doc or f"`{_literal(option.default)}`"


def _literal(value: Any) -> str:
    """A Python value as written in settings.py, strings in double quotes."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def main(argv: list[str] | None = None) -> int:
    """``python -m kit.conf.reference [--check] [PAGE]``: rewrite docs/settings.md, or with
    ``--check`` exit 1 when it differs from the declarations."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="scripts/settings-reference", description=main.__doc__)
    parser.add_argument("page", nargs="?", default="docs/settings.md", type=Path)
    parser.add_argument("--check", action="store_true", help="Only report whether the page is current.")
    arguments = parser.parse_args(argv)
    current = arguments.page.read_text()
    rendered = render_page(current)
    if arguments.check:
        if rendered != current:
            print(f"{arguments.page} differs from the declarations: run scripts/settings-reference")
            return 1
        return 0
    arguments.page.write_text(rendered)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
