"""The public API is what the packages' faces list in ``__all__``, and the docs keep to it.

A face is a package's ``__init__``; a public module is one a face lists (``kit.shortcuts``,
``kit.filters.operators``). Every name a face lists imports; every import of the kit in the docs'
code blocks, the project template and the app templates names a face or a public module and only
names it lists.
"""

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import kit

ROOT = Path(__file__).resolve().parents[2]
CODE_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
TEMPLATE_TAG = re.compile(r"{{.*?}}|{%.*?%}")


def faces() -> list[str]:
    """Every package of the kit but the Django plumbing (migrations, management commands)."""
    found = ["kit"]
    for module in pkgutil.walk_packages(kit.__path__, "kit."):
        if module.ispkg and not re.search(r"\.(migrations|management)\b", module.name):
            found.append(module.name)
    return found


def is_public_module(name: str) -> bool:
    parent, _, last = name.rpartition(".")
    return bool(parent) and last in getattr(importlib.import_module(parent), "__all__", ())


def kit_imports(source: str) -> list[tuple[str, str]]:
    """``(module, name)`` for each ``from kit... import name`` (``*`` for a star import) and
    ``(module, "")`` for each ``import kit...``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "kit":
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names if alias.name.split(".")[0] == "kit"]
    return found


def documented_sources() -> list[tuple[str, str]]:
    sources = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        for number, block in enumerate(CODE_BLOCK.findall(page.read_text()), 1):
            sources.append((f"{page.name} (block {number})", block))
    for folder in (ROOT / "project_template", ROOT / "kit" / "app_templates"):
        for path in sorted(folder.rglob("*.py*")):
            sources.append((str(path.relative_to(ROOT)), TEMPLATE_TAG.sub("x", path.read_text())))
    return sources


def test_the_faces_are_found():
    assert {"kit", "kit.api", "kit.errors", "kit.serializers", "kit.authentication"} <= set(faces())


@pytest.mark.parametrize("face", faces())
def test_every_listed_name_imports(face):
    module = importlib.import_module(face)
    assert isinstance(module.__all__, list)
    assert module.__all__ == sorted(set(module.__all__), key=module.__all__.index)  # no repeats
    missing = []
    for name in module.__all__:
        if not hasattr(module, name):
            try:
                importlib.import_module(f"{face}.{name}")
            except ImportError:
                missing.append(name)
    assert missing == []


def test_docs_and_templates_import_only_public_names():
    wrong = []
    for where, source in documented_sources():
        for module_name, name in kit_imports(source):
            if not name:  # import kit.x: a face or a public module
                ok = module_name in faces() or is_public_module(module_name)
            elif name == "*":
                ok = is_public_module(module_name)
            elif module_name in faces():
                ok = name in importlib.import_module(module_name).__all__
            else:
                module = importlib.import_module(module_name)
                listed = getattr(module, "__all__", None)
                ok = is_public_module(module_name) and (
                    name in listed if listed is not None else not name.startswith("_")
                )
            if not ok:
                wrong.append(f"{where}: from {module_name} import {name}")
    assert wrong == []


def test_the_imports_are_read():
    """The reader above sees the docs' imports (a guard against a reader that finds nothing)."""
    found = {pair for _, source in documented_sources() for pair in kit_imports(source)}
    assert ("kit.views", "ListCreateModelView") in found
    assert ("kit.errors", "handler404") in found
