"""The gaps page (AppTest): the three things to do, then one card per kind of gap."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from mapping.analysis.gaps import analyse
from mapping.analysis.grouping import group_title
from mapping.demo.sample import load_sample
from tests.apptest import open_cards
from tests.conftest import ROOT
from ui.text import md

GAPS = "ui/pages/gaps.py"


def start(db_url: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    at.switch_page(GAPS).run()
    assert not at.exception, at.exception
    return at


def choose_tab(at: AppTest, label: str):
    """Switch the gaps page to its tab ``label`` (only the chosen tab is drawn) and return it."""
    at.session_state[f"gaps-tab-{at.session_state['map_id']}"] = label
    at.run()
    assert not at.exception, at.exception
    return next(tab for tab in at.tabs if tab.label == label)


def test_only_the_chosen_tab_is_worked_out(db_url):
    at = start(db_url)
    assert at.tabs[0].expander, "the findings tab opens first"
    assert all(not tab.children for tab in at.tabs[1:])
    bridges = choose_tab(at, "Bridges")
    assert bridges.caption and not at.tabs[0].expander


def test_gaps_page_opens_on_the_three_things_to_do_and_a_card_per_kind(db_url):
    at = start(db_url)
    report = analyse(load_sample(), today=date.today())
    assert "This month: the three things to do" in [s.value for s in at.subheader]
    actions = [m.value for m in at.markdown if "*Who should act:*" in m.value]
    assert len(actions) == 3
    assert "Claire Donnelly" in actions[0]  # best placed to invite the patient voice
    cards = [e.label for e in at.tabs[0].expander if "·" in e.label]
    assert len(cards) == len(report.groups) == 10
    assert len(cards) + 1 <= 12  # the sample map opens on at most 12 findings
    assert [c.split(" · ", 1)[1] for c in cards] == [md(group_title(g)) for g in report.groups]
    assert cards[0].startswith("HIGH")
    assert not at.json, "evidence is a table of plain words, never raw JSON"


def test_a_group_lists_its_five_most_urgent_then_all_on_request(db_url):
    at = start(db_url)
    report = analyse(load_sample(), today=date.today())
    g = next(i for i, group in enumerate(report.groups) if group.kind.key == "investment")
    card = next(e for e in at.tabs[0].expander if md(group_title(report.groups[g])) in e.label)
    assert not card.children, "a closed card's contents are not worked out"
    open_cards(at)
    card = next(e for e in at.tabs[0].expander if md(group_title(report.groups[g])) in e.label)
    [frame] = card.dataframe
    assert len(frame.value) == 5
    total = len(report.groups[g].items)
    toggle = next(t for t in card.toggle if t.label == f"Show all {total}")
    toggle.set_value(True).run()
    assert not at.exception, at.exception
    card = next(e for e in at.tabs[0].expander if md(group_title(report.groups[g])) in e.label)
    assert len(card.dataframe[0].value) == total


def test_key_people_and_silos_speak_plain_words(db_url):
    at = start(db_url)
    key_people = choose_tab(at, "Key people")
    people = [m.value for m in key_people.markdown if " — " in m.value]
    assert people and all("if they left" in p for p in people)
    assert not any("would cut off 0" in p or "fragmentation" in p for p in people)
    silos = choose_tab(at, "Silos")
    assert any(
        "inward-looking" in m.value or "outward-looking" in m.value or m.value == "Balanced"
        for m in silos.metric
    )


def test_counts_of_people_have_whole_number_axes_and_evidence_reads_as_words():
    from mapping.analysis.findings import Finding, Severity
    from mapping.report.explain import evidence_rows
    from ui import charts

    report = analyse(load_sample(), today=date.today())
    spec = charts.coverage_chart(report.coverage)
    x = next(layer for layer in [spec, *spec.get("layer", [])] if "encoding" in layer)["encoding"][
        "x"
    ]
    assert x["axis"]["tickMinStep"] == 1 and x["axis"]["format"] == "d"
    f = Finding("x", Severity.LOW, "T", "", "", evidence={"weak": True, "last_confirmed": None})
    assert evidence_rows(f.evidence, {}) == [("Weak", "yes"), ("Last confirmed", "")]
