"""docs/settings.md documents every environment variable, KIT option and check id; every chapter
(and every page in a folder of docs/) is reachable from the index page and the site navigation."""

import re
from pathlib import Path

from kit.conf import ServiceSettings
from kit.conf.options import DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = (ROOT / "docs" / "settings.md").read_text()


def test_every_service_variable_is_documented():
    missing = [name for name, _ in ServiceSettings.variables() if f"`{name}`" not in REFERENCE]
    assert missing == []


def test_every_kit_option_is_documented():
    assert [name for name in DEFAULTS if f"`{name}`" not in REFERENCE] == []


def test_every_system_check_id_is_documented():
    ids = set()
    for source in (ROOT / "kit").rglob("*.py"):
        ids.update(re.findall(r'id="(kit\.[EW]\d{3})"', source.read_text()))
    assert ids, "no check ids found"
    assert sorted(i for i in ids if f"`{i}`" not in REFERENCE) == []


def test_every_chapter_is_in_the_index_and_the_navigation():
    docs = ROOT / "docs"
    chapters = {page.relative_to(docs).as_posix() for page in docs.rglob("*.md")} - {"index.md"}
    index = (docs / "index.md").read_text()
    navigation = set(re.findall(r":\s*([\w/-]+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE))
    assert sorted(page for page in chapters if f"({page})" not in index) == []
    assert sorted((chapters | {"index.md"}) ^ navigation) == []
