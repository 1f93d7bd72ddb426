"""The user guide: task by task, names every page, and shows inside the app with its pictures."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.guide import GUIDE, pieces, sections
from ui.routes import PAGES

TASKS = (
    "Build a map",
    "Spot the gaps",
    "Plan engagement",
    "Track over time",
    "Share and export",
    "Keep it safe",
)


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_the_guide_is_organised_by_task(guide):
    titles = [s.title for s in sections(guide)]
    assert [t for t in titles if t in TASKS] == list(TASKS)


@pytest.mark.parametrize("path", list(PAGES))
def test_the_guide_names_every_page_in_bold(guide, path):
    title = PAGES[path][1]
    assert f"**{title}**" in guide, f"docs/guide.md does not mention the {title} page"


def test_the_guide_says_where_the_data_lives(guide):
    safe = next(s.body for s in sections(guide) if s.title == "Keep it safe")
    assert "~/.local/share/coalition-mapper/maps.db" in safe
    assert "MAPPING_DATABASE_URL" in safe


def test_every_picture_the_guide_uses_is_in_docs_images(guide):
    used = re.findall(r"\]\((images/[^)]+)\)", guide)
    assert used
    for src in used:
        assert (ROOT / "docs" / src).is_file(), src


def test_sections_and_pieces_split_the_guide_into_text_and_pictures():
    [opening, one] = sections("# Guide\nHello.\n## One\nSee [Settings](settings.md).\n"
                              "![The map](images/map.png)\nAnd <http://localhost:8501>.")  # fmt: skip
    assert (opening.title, opening.body) == ("", "Hello.")
    assert pieces(one.body) == [
        ("text", "See Settings.", ""),
        ("image", "images/map.png", "The map"),
        ("text", "And <http://localhost:8501>.", ""),
    ]


def test_start_here_shows_every_section_of_the_guide_with_its_pictures(
    guide, tmp_path, monkeypatch
):
    monkeypatch.setenv("MAPPING_DATABASE_URL", f"sqlite:///{tmp_path / 'guide.db'}")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("ui/pages/start.py").run()
    assert not at.exception, at.exception
    shown = [e.label for e in at.main.expander]
    expected = [s.title for s in sections(guide)[1:]]
    assert [t for t in shown if t in expected] == expected
    assert at.main.get("image") == [], "a closed section sends no picture"
    for i in range(len(expected)):  # open every section
        at.session_state[f"guide-{i}"] = True
    at.run()
    assert not at.exception, at.exception
    captions = [image.proto.imgs[0].caption for image in at.main.get("image")]
    assert captions == re.findall(r"^!\[([^\]]+)\]\(images/", guide, re.MULTILINE)
