"""The README: what the tool is for, one picture, the two commands, where to go next, and true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from ui.routes import PAGES, SECTIONS

README = ROOT / "README.md"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


def _opening(text: str) -> str:
    """Everything before the second ``##`` section: purpose, picture, set-up."""
    return text.split("\n## ", 2)[0] + text.split("\n## ", 2)[1]


def test_the_readme_opens_with_its_purpose_one_picture_and_the_two_commands(readme):
    opening = _opening(readme)
    assert opening.startswith("# Coalition Mapper\n\n")
    assert re.findall(r"!\[[^\]]+\]\(([^)]+)\)", opening) == ["docs/images/map.png"]
    commands = re.findall(r"^make (\w+)", opening, re.MULTILINE)
    assert commands == ["run", "test"]


def test_the_readme_says_where_to_go_next(readme):
    after = readme.split("## Where to go next", 1)[1].split("\n## ", 1)[0]
    assert "(docs/guide.md)" in after and "(docs/README.md)" in after


@pytest.mark.parametrize("document", ["README.md", "docs/README.md", "docs/guide.md"])
def test_every_link_to_a_file_points_at_one_that_exists(document):
    path = ROOT / document
    targets = [t for t in LINK.findall(path.read_text(encoding="utf-8")) if "://" not in t]
    assert targets
    for target in targets:
        assert (path.parent / Path(target)).exists(), f"{document} links to missing {target}"


@pytest.mark.parametrize("path", list(PAGES))
def test_the_readme_lists_every_page_of_the_app(readme, path):
    assert f"| **{PAGES[path][1]}** |" in readme


def test_the_readme_lists_the_pages_in_sidebar_order(readme):
    listed = re.findall(r"^\| \*\*(.+?)\*\* \|", readme, re.MULTILINE)
    in_sidebar = [PAGES[p][1] for paths in SECTIONS.values() for p in paths]
    assert listed == in_sidebar
