"""The map keeps what the user did: the search box keeps its text, search hides nobody, focus
says what hides whom, Re-arrange is undoable, and a focused view of a big map lays out only
the people it draws."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from mapping.changes.view import ViewFilter, apply_view, hidden_near_focus, matching
from mapping.demo.sample import load_sample
from mapping.demo.synthetic import synthetic_map
from mapping.drawing import layout
from mapping.model import Map
from mapping.storage.store import Store
from tests.apptest import ok
from tests.conftest import ROOT
from ui import cache
from ui.pages import map_view

MAP_PAGE = "ui/pages/map_view.py"
PRIYA = "s28"  # Priya Raman of Riverside County Council: 11 people one tie away


def map_page(db_url: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page(MAP_PAGE).run()
    ok(at)
    return at


def search_box(at: AppTest):
    [box] = [t for t in at.text_input if t.label == "Search names and organisations"]
    return box


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def drawn_people(at: AppTest) -> int:
    [frame] = at.get("iframe")
    return frame.proto.srcdoc.count('"shape":')


def contacts(m: Map, sid: str) -> set[str]:
    return {
        r.target if r.source == sid else r.source
        for r in m.relationships
        if sid in (r.source, r.target)
    }


# --- the search box and focus ------------------------------------------------------------


def test_the_search_box_keeps_each_new_search_across_reruns(db_url):
    at = map_page(db_url)
    search_box(at).input("council").run()
    assert at.query_params["q"] == "council"
    search_box(at).input("trust").run()
    at.run()  # any later rerun (a click elsewhere) keeps what was typed
    ok(at)
    assert search_box(at).value == "trust"
    assert at.query_params["q"] == "trust"
    [note] = [c for c in captions(at) if c.startswith("Search")]
    assert "“trust”: 14 found, highlighted on the map" in note
    search_box(at).input("").run()
    at.run()
    assert search_box(at).value == ""
    assert "q" not in at.query_params
    assert not [c for c in captions(at) if c.startswith("Search")]


def test_a_search_highlights_and_hides_nobody(db_url):
    at = map_page(db_url)
    search_box(at).input("council").run()
    ok(at)
    assert any(c.startswith("Showing 52 of 52 stakeholders") for c in captions(at))
    [frame] = at.get("iframe")
    fonts = frame.proto.srcdoc.count('"size": 16') + frame.proto.srcdoc.count('"size":16')
    assert drawn_people(at) == 52
    assert fonts >= 11, "the eleven council people are emphasised"


def test_focus_after_a_search_draws_everyone_around_the_person(db_url):
    sample = load_sample()
    assert len(contacts(sample, PRIYA)) == 11
    at = map_page(db_url)
    search_box(at).input("council").run()
    [focus] = [s for s in at.selectbox if s.label == "Focus on"]
    focus.select(PRIYA).run()
    ok(at)
    assert drawn_people(at) == 12
    assert any(
        "Focus on Priya Raman: all 11 people within 1 step are drawn" in c for c in captions(at)
    )
    assert search_box(at).value == "council"


def test_focus_says_which_filter_hides_whom(db_url):
    at = map_page(db_url)
    [focus] = [s for s in at.selectbox if s.label == "Focus on"]
    focus.select(PRIYA).run()
    [stances] = [s for s in at.multiselect if s.label == "Stances"]
    stances.select("champion").run()
    ok(at)
    [note] = [i.value for i in at.info if "Focus on Priya Raman" in i.value]
    assert "of the 11 people within 1 step are drawn" in note
    assert "by “Stances”" in note


def test_hidden_near_focus_names_the_filter_that_hides_each_person():
    sample = load_sample()
    view = ViewFilter(focus=PRIYA, coalition="members", min_strength=3)
    hidden = hidden_near_focus(sample, view)
    shown = {s.id for s in apply_view(sample, view).stakeholders} - {PRIYA}
    assert set(hidden) <= {"Relationship types and minimum strength", "Coalition"}
    every = [sid for ids in hidden.values() for sid in ids]
    assert len(every) == len(set(every))
    assert set(every) | shown == contacts(sample, PRIYA)
    for sid in hidden.get("Coalition", ()):
        assert not sample.stakeholder(sid).coalition


def test_matching_is_the_search_of_the_page():
    sample = load_sample()
    assert len(matching(sample, "council")) == 11
    assert len(matching(sample, "TRUST")) == 14


# --- Re-arrange ---------------------------------------------------------------------------


def test_re_arrange_saves_new_places_for_everyone_and_undo_puts_them_back(db_url):
    at = map_page(db_url)
    store = Store(db_url)
    [info] = store.list_maps()
    before = store.load_map(info.id)
    assert before.positions == {}
    [again] = [b for b in at.button if b.label == "Re-arrange"]
    again.click().run()
    ok(at)
    after = store.load_map(info.id)
    assert set(after.positions) == {s.id for s in after.stakeholders}
    assert replace(after, positions={}) == before
    drawn = map_view.positions_for(cache.Key(db_url, info.id, "-"), "force", before)
    assert any(drawn[sid] != xy for sid, xy in after.positions.items())
    [undo] = [b for b in at.sidebar.button if b.label.startswith("Undo")]
    assert "re-arrange the map" in undo.label.replace("\\", "")  # label as Markdown
    undo.click().run()
    ok(at)
    assert store.load_map(info.id).positions == {}


def test_re_arrange_gives_a_new_picture_each_time():
    m = load_sample()
    first = layout.rearrange(m, seed=1)
    second = layout.rearrange(replace(m, positions=first), seed=2)
    assert set(first) == set(second) == {s.id for s in m.stakeholders}
    assert first != second
    assert layout.rearrange(m, seed=1) == first


# --- a big map lays out only what is drawn ------------------------------------------------


@pytest.fixture
def counted(monkeypatch):
    """The number of people each force-directed layout is asked to place."""
    sizes: list[int] = []
    real = layout._spring_layout

    def spy(G, *args, **kwargs):
        sizes.append(len(G))
        return real(G, *args, **kwargs)

    monkeypatch.setattr(layout, "_spring_layout", spy)
    monkeypatch.setattr(layout, "_MEMO", layout.Recent(16))
    return sizes


def test_the_focused_view_of_a_big_map_lays_out_only_the_people_drawn(counted):
    big = synthetic_map(map_view.WHOLE_MAP_LIMIT + 500, seed=3)
    best = max(big.stakeholders, key=lambda s: (s.coalition, s.influence)).id
    view = ViewFilter(focus=best, steps=1)
    shown = apply_view(big, view)
    key = cache.Key("sqlite://", 1, "big-map-focused")
    page = map_view.map_html(key, "force", view, (), (), date(2026, 1, 1), 12, big)
    assert counted == [len(shown.stakeholders)]
    assert len(shown.stakeholders) < 100
    assert page.count('"shape":') == len(shown.stakeholders)


def test_the_focused_view_keeps_saved_positions_of_the_people_drawn(counted):
    big = synthetic_map(map_view.WHOLE_MAP_LIMIT + 500, seed=3)
    best = max(big.stakeholders, key=lambda s: (s.coalition, s.influence)).id
    view = ViewFilter(focus=best, steps=1)
    placed = replace(big, positions={best: (123.0, -45.0)})
    key = cache.Key("sqlite://", 1, "big-map-placed")
    where = map_view.drawn_positions(key, "force", view, placed)
    assert where[best] == (123.0, -45.0)
    assert set(where) == {s.id for s in apply_view(big, view).stakeholders}


def test_a_small_map_lays_out_everyone_once_whatever_the_filter(counted):
    m = load_sample()
    key = cache.Key("sqlite://", 1, "sample-filtered")
    narrow = map_view.drawn_positions(key, "force", ViewFilter(focus=PRIYA), m)
    whole = map_view.drawn_positions(key, "force", ViewFilter(), m)
    assert counted == [len(m.stakeholders)]
    assert all(whole[sid] == xy for sid, xy in narrow.items())


def test_the_map_page_of_a_big_map_lays_out_only_the_focused_people(db_url, counted):
    big = synthetic_map(map_view.WHOLE_MAP_LIMIT + 200, ties_per_person=2.0, seed=5)
    Store(db_url).create_map(big)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()  # the map page opens first
    ok(at)
    assert any("it opens focused on" in i.value for i in at.info)
    assert counted and max(counted) < 100, counted
    assert drawn_people(at) == max(counted)


def test_a_click_on_the_layout_shown_keeps_it_chosen(db_url):
    at = map_page(db_url)
    [info] = Store(db_url).list_maps()
    choice = at.segmented_control(key=f"layout-{info.id}")
    choice.set_value("grid").run()
    ok(at)
    assert at.segmented_control(key=f"layout-{info.id}").value == "grid"
    at.segmented_control(key=f"layout-{info.id}").set_value(None).run()  # the second click
    ok(at)
    assert at.segmented_control(key=f"layout-{info.id}").value == "grid"
    [re_arrange] = [b for b in at.button if b.label == "Re-arrange"] or [None]
    assert re_arrange is None, "still the grid: nothing to re-arrange"
