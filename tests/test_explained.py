"""Every analysis shown in the UI comes with a plain explanation and its published source."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from mapping.analysis import findings as findings_module
from tests.apptest import open_about, open_cards
from tests.conftest import ROOT
from tests.test_gaps_page import choose_tab
from ui.about import HEADING, finding_module

#: Modules of mapping.analysis that serve the analyses rather than being one (the headline
#: figures are explained with the what-if that compares them).
HELPERS = {"findings", "gaps", "headline", "perspectives", "sources"}
#: A published source: authors, then a year (or n.d.) in brackets.
CITED = re.compile(r"\((19|20)\d\d\)|\(n\.d\.\)")


def _plain(markdown: str) -> str:
    return markdown.replace("\\", "")


@pytest.fixture
def at(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("MAPPING_DATABASE_URL", f"sqlite:///{tmp_path / 'explained.db'}")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.run()
    return app


def _analyses_imported(source: str) -> set[str]:
    names = set()
    for line in re.findall(r"^from mapping\.analysis import (.+)$", source, re.MULTILINE):
        names |= {n.strip() for n in line.split(",")}
    for module in re.findall(r"^from mapping\.analysis\.(\w+) import", source, re.MULTILINE):
        names.add(module)
    return names - HELPERS


@pytest.mark.parametrize("page", sorted((ROOT / "ui" / "pages").glob("*.py")), ids=str)
def test_every_analysis_a_page_uses_is_shown_with_its_explanation(page):
    source = page.read_text(encoding="utf-8")
    explained = set(re.findall(r"\babout\((\w+)", source))
    assert _analyses_imported(source) <= explained, page.name


def test_every_kind_of_finding_names_an_analysis_with_a_method_and_a_cited_source():
    codes = set()
    for path in (ROOT / "mapping" / "analysis").glob("*.py"):
        codes |= set(re.findall(r"code=\"([a-z_]+\.[a-z.-]+)\"", path.read_text("utf-8")))
        codes |= set(re.findall(r"^\s+\"([a-z_]+\.[a-z-]+)\",$", path.read_text("utf-8"), re.M))
    assert len(codes) >= 20
    for code in codes:
        module = finding_module(code)
        assert module is not findings_module
        assert module.METHOD.strip(), code
        assert CITED.search(module.SOURCE), code


def test_every_headline_figure_has_an_explanation_with_its_source(at):
    at.switch_page("ui/pages/gaps.py").run()
    assert len(at.metric) >= 4
    for metric in at.metric:
        assert "High:" in metric.help and "Low:" in metric.help, metric.label
        assert CITED.search(metric.help.split("Source:")[1]), metric.label


def test_every_tab_of_coalition_gaps_explains_its_analysis_and_cites_its_source(at):
    at.switch_page("ui/pages/gaps.py").run()
    assert not at.exception, at.exception
    open_cards(at)
    findings_tab, *analyses = at.tabs
    assert len(analyses) == 6
    cards = [e for e in findings_tab.expander if e.label != HEADING]
    assert len(cards) >= 10
    for card in cards:
        [found] = [c.value for c in card.caption if c.value.startswith("How this was found")]
        assert CITED.search(_plain(found).split("Source:")[1]), card.label
    for label in [tab.label for tab in analyses]:
        tab = choose_tab(at, label)  # only the chosen tab is drawn
        assert tab.caption and tab.caption[0].value.strip(), tab.label  # the plain meaning
        [shut] = [e for e in tab.expander if e.label == HEADING]
        assert not shut.markdown, "its text is sent once it is opened"
        open_about(at)
        tab = choose_tab(at, label)
        [method] = [e for e in tab.expander if e.label == HEADING]
        text = _plain("\n".join(m.value for m in method.markdown))
        assert CITED.search(text.split("Source:")[1]), tab.label


@pytest.mark.parametrize("script", ["what_if", "my_network", "review"])
def test_other_analysis_pages_show_their_method_and_source(at, script):
    at.switch_page(f"ui/pages/{script}.py").run()
    assert not at.exception, at.exception
    open_about(at)
    [method] = [e for e in at.main.expander if e.label == HEADING]
    text = _plain("\n".join(m.value for m in method.markdown))
    assert CITED.search(text.split("Source:")[1]), script
