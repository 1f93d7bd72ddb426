"""A change of layout keeps the map's frame, in a real Chromium: the page already drawn
moves everyone to their place in the new layout (ui/map_screen.py), draws or hides the grid
and the ties, and a frame loaded afresh (another page and back) shows the layout the
control shows."""

from __future__ import annotations

import pytest

from mapping.demo.sample import load_sample
from mapping.drawing.layout import place
from tests import test_map_laptop_browser as laptop
from tests.browser import browser_page, outside_requests, wait_idle
from tests.test_map_keeps_browser import POSITIONS, drawn_frame

pytestmark = pytest.mark.browser

#: The sample map with its welcome dismissed, on a server of this module's own.
app = laptop.app

#: What the frame shows: whether ties are drawn, the grid's labels, a person's size.
SHOWN = """() => {
    const m = window.coalitionMap, body = m.network.body;
    return {
        ties: Object.values(body.edges).filter((e) => !e.options.hidden).length,
        grid: m.gridLabels || null,
        size: body.nodes.n0.options.size,
    };
}"""


def choose(page, layout: str) -> None:
    page.get_by_role("radio", name=layout).click()
    wait_idle(page)


def near(a: dict, b: dict) -> bool:
    """Two sets of places the same, to a pixel (the page draws at whole pixels)."""
    return a.keys() == b.keys() and all(
        abs(a[k][0] - b[k][0]) <= 1 and abs(a[k][1] - b[k][1]) <= 1 for k in a
    )


def test_a_new_layout_moves_everyone_in_the_same_frame(app):
    sample = load_sample()
    grid = {sid: (round(x), round(y)) for sid, (x, y) in place(sample, "grid").items()}
    with browser_page(viewport={"width": 1366, "height": 768}) as (page, requests):
        page.goto(f"{app[0]}/")
        wait_idle(page)
        frame = drawn_frame(page, "m.ready === true")
        frame.evaluate("() => { window.coalitionMap.sameFrame = true; }")
        network = frame.evaluate(POSITIONS)
        drawn = frame.evaluate(SHOWN)

        choose(page, "Power / interest grid")
        frame = drawn_frame(page, "m.layout === 'grid' && m.relaidOut === true")
        assert frame.evaluate("() => window.coalitionMap.sameFrame") is True
        assert near(frame.evaluate(POSITIONS), grid)
        on_grid = frame.evaluate(SHOWN)

        choose(page, "By perspective")
        frame = drawn_frame(page, "m.layout === 'perspective' && m.relaidOut === true")
        by_perspective = frame.evaluate(POSITIONS)

        choose(page, "Network")
        frame = drawn_frame(page, "m.layout === 'force' && m.relaidOut === true")
        assert frame.evaluate("() => window.coalitionMap.sameFrame") is True
        back = frame.evaluate(POSITIONS)
        back_drawn = frame.evaluate(SHOWN)
        assert outside_requests(requests) == []

    assert drawn["ties"] > 0 and drawn["grid"] is None
    assert on_grid["ties"] == 0 and on_grid["grid"][2:] == [
        "Keep satisfied",
        "Manage closely",
        "Keep informed",
        "Monitor",
    ]
    assert on_grid["size"] < drawn["size"], "small marks on the grid leave room for names"
    assert not near(by_perspective, network) and not near(by_perspective, grid)
    assert near(back, network) and back_drawn == drawn, "Network again: as first drawn"


def test_a_frame_loaded_afresh_shows_the_layout_the_control_shows(app):
    with browser_page(viewport={"width": 1366, "height": 768}) as (page, _):
        page.goto(f"{app[0]}/")
        wait_idle(page)
        first = drawn_frame(page, "m.ready === true")
        network, drawn = first.evaluate(POSITIONS), first.evaluate(SHOWN)
        choose(page, "Power / interest grid")
        drawn_frame(page, "m.layout === 'grid' && m.relaidOut === true")
        links = page.locator("[data-testid='stSidebarNav'] a")
        links.filter(has_text="Stakeholders").first.click()
        wait_idle(page)
        links.filter(has_text="Map").first.click()
        wait_idle(page)
        # the layout is chosen afresh on each visit of the page: the frame follows it
        chosen = page.get_by_role("radio", checked=True).first.inner_text().strip()
        frame = drawn_frame(page, "m.ready === true && m.layout !== 'grid'")
        shown, places = frame.evaluate(SHOWN), frame.evaluate(POSITIONS)
    assert chosen == "Network"
    assert shown == drawn and near(places, network)
