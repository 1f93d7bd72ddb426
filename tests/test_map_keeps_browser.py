"""The map in a real Chromium keeps what the user did: a drag moves only the person dragged,
the search box keeps each new search, and focus after a search draws the whole neighbourhood."""

from __future__ import annotations

import pytest

from mapping.demo.sample import load_sample
from mapping.storage.store import Store
from tests.browser import (
    browser_page,
    drag_first_person,
    outside_requests,
    require_chromium,
    running_app,
    wait_idle,
)

pytestmark = pytest.mark.browser

PRIYA = "s28"  # Priya Raman: 11 people one tie away on the sample map
#: Every drawn person's canvas position, by stakeholder id.
POSITIONS = """() => {
    const map = window.coalitionMap;
    const where = map.network.getPositions();
    const out = {};
    for (const [visId, p] of Object.entries(where)) out[map.ids[visId]] = [p.x, p.y];
    return out;
}"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    require_chromium()
    url = f"sqlite:///{tmp_path_factory.mktemp('keeps') / 'keeps.db'}"
    map_id = Store(url).create_map(load_sample())
    with running_app(url) as base:
        yield base, url, map_id


def drawn_frame(page, ready: str = "true"):
    """The frame of the drawn map ``m`` (``window.coalitionMap``) for which the JavaScript
    expression ``ready`` holds, once there is one (a rerun may replace the frame)."""
    test = f"(m) => !!(m && m.drawn && ({ready}))"
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('iframe')].some((f) => {{
            try {{ return ({test})(f.contentWindow.coalitionMap); }} catch (e) {{ return false; }}
        }})""",
        timeout=60_000,
    )
    for frame in page.frames:
        try:
            if frame.evaluate(f"() => ({test})(window.coalitionMap)"):
                return frame
        except Exception:  # a frame replaced by a rerun meanwhile
            continue
    raise AssertionError(f"no frame holds a drawn map where {ready}")


def lit_people(frame) -> int:
    return frame.evaluate(
        "() => window.coalitionMap.nodes.get().filter(n => n.lit === true).length"
    )


def test_dragging_one_person_moves_only_them_and_keeps_everyone_in_place(app):
    """The drag is saved and the frame that shows it is kept (not sent or drawn again);
    Undo draws the map as it was; a reload draws what was saved."""
    base, url, map_id = app
    store = Store(url)
    assert store.load_map(map_id).positions == {}
    with browser_page(viewport={"width": 1400, "height": 1100}) as (page, requests):
        page.goto(f"{base}/")
        wait_idle(page)
        frame = drawn_frame(page, "m.frozen === true")
        frame.evaluate("() => { window.coalitionMap.keptSinceTheDrag = true; }")
        before = frame.evaluate(POSITIONS)
        scale = frame.evaluate("() => window.coalitionMap.network.getScale()")
        dragged = frame.evaluate("() => window.coalitionMap.ids.n0")
        drag_first_person(page, frame, (10, 0), 20)
        page.get_by_text("Saved: move people on the map").wait_for(timeout=30_000)
        wait_idle(page)
        kept = drawn_frame(page, "m.keptSinceTheDrag === true")
        after = kept.evaluate(POSITIONS)
        assert len(page.locator("iframe").all()) == 1, "the frame that shows the drag is kept"
        saved = store.load_map(map_id).positions
        # Undo takes the drag back, and the frame shows it
        page.get_by_role("button", name="Undo: move people on the map").click()
        page.get_by_text("Undone: move people on the map").wait_for(timeout=30_000)
        wait_idle(page)
        undone = drawn_frame(page, "m.keptSinceTheDrag === undefined").evaluate(POSITIONS)
        assert store.load_map(map_id).positions == {}, "as stored before the drag"
        # dragged again, then a reload draws the map from what was saved: nothing settles
        drag_first_person(page, drawn_frame(page), (10, 0), 20)
        page.get_by_text("Saved: move people on the map").wait_for(timeout=30_000)
        wait_idle(page)
        again = drawn_frame(page).evaluate(POSITIONS)
        page.reload()
        wait_idle(page)
        frame = drawn_frame(page, "m.nodes.get().every((n) => n.physics === false)")
        reloaded = frame.evaluate(POSITIONS)
        assert outside_requests(requests) == []

    assert set(after) == set(before) and len(before) == 52
    moved = [
        sid
        for sid in before
        if max(abs(after[sid][0] - before[sid][0]), abs(after[sid][1] - before[sid][1])) > 0.5
    ]
    assert moved == [dragged], "nobody but the person dragged moved"
    dx = after[dragged][0] - before[dragged][0]
    assert abs(dx - 200 / scale) < 20 / scale, (dx, 200 / scale)
    assert abs(after[dragged][1] - before[dragged][1]) < 20 / scale
    assert set(saved) == set(before), "everyone's place as drawn is saved"
    for sid, (sx, sy) in saved.items():
        assert abs(sx - after[sid][0]) < 1e-6 and abs(sy - after[sid][1]) < 1e-6
    assert undone[dragged] == pytest.approx(before[dragged], abs=1), "Undo put them back"
    assert reloaded.keys() == again.keys()
    for sid, (x, y) in reloaded.items():  # drawn at whole pixels
        assert abs(x - again[sid][0]) <= 1 and abs(y - again[sid][1]) <= 1, sid
    store.close()


def search(page, text: str) -> None:
    box = page.get_by_role("textbox", name="Search names and organisations")
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def test_a_new_search_replaces_the_last_and_highlights_its_matches(app):
    base, _, _ = app
    with browser_page(viewport={"width": 1400, "height": 1100}) as (page, requests):
        page.goto(f"{base}/")
        wait_idle(page)
        search(page, "council")
        page.get_by_text("“council”: 11 found").wait_for(timeout=30_000)
        assert lit_people(drawn_frame(page, "m.nodes.get().some((n) => n.lit === true)")) == 11
        search(page, "trust")
        page.get_by_text("“trust”: 14 found").wait_for(timeout=30_000)
        box = page.get_by_role("textbox", name="Search names and organisations")
        assert box.input_value() == "trust"
        assert "q=trust" in page.url
        frame = drawn_frame(
            page,
            "m.nodes.get().filter((n) => n.lit === true).length === 14",
        )
        assert frame.evaluate("() => window.coalitionMap.nodes.length") == 52, "nobody hidden"
        # Another rerun (a new layout) keeps the text, and the filters stay where they were.
        page.get_by_text("By perspective", exact=True).click()
        wait_idle(page)
        assert box.input_value() == "trust"
        page.get_by_text("“trust”: 14 found").wait_for(timeout=30_000)
        assert outside_requests(requests) == []


def test_focus_after_a_search_draws_all_eleven_people_around_them(app):
    base, _, _ = app
    sample = load_sample()
    around = {PRIYA} | {
        r.target if r.source == PRIYA else r.source
        for r in sample.relationships
        if PRIYA in (r.source, r.target)
    }
    assert len(around) == 12
    with browser_page(viewport={"width": 1400, "height": 1100}) as (page, requests):
        page.goto(f"{base}/")
        wait_idle(page)
        search(page, "council")
        page.get_by_role("button", name="Filter and focus").click()
        wait_idle(page)
        focus = page.get_by_role("combobox", name="Focus on")
        focus.click()
        focus.fill("Priya Raman")
        focus.press("Enter")
        wait_idle(page)
        page.get_by_text("Focus on Priya Raman: all 11 people within 1 step are drawn").wait_for(
            timeout=30_000
        )
        frame = drawn_frame(page, "m.nodes.length === 12")
        drawn = set(frame.evaluate("() => Object.values(window.coalitionMap.ids)"))
        assert drawn == around, "the search limits nobody around the person in focus"
        assert (
            page.get_by_role("textbox", name="Search names and organisations").input_value()
            == "council"
        )
        assert page.get_by_role("combobox", name="Focus on").is_visible(), "the panel stays open"
        assert f"focus={PRIYA}" in page.url
        assert outside_requests(requests) == []
