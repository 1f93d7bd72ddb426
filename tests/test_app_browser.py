"""The app in a real headless Chromium: add people, draw, filter, highlight, stay offline and inert."""

from __future__ import annotations

import pytest

from mapping.demo.sample import load_sample
from mapping.model import Map, Relationship, Stakeholder
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

PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"quote\' & href="javascript:window.__pwned=1"',
    "\u202eevil\u202c مرحبا",
)


def _map_frame(page):
    """The frame that holds the drawn map, once vis-network has drawn it."""
    page.frame_locator("iframe").first.locator("canvas").first.wait_for(timeout=30_000)
    for frame in page.frames:
        if frame.evaluate("() => !!(window.coalitionMap && window.coalitionMap.drawn)"):
            return frame
    raise AssertionError("no frame holds a drawn map")


def _node_count(page) -> int:
    frame = _map_frame(page)
    return frame.evaluate("() => window.coalitionMap.nodes.length")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    require_chromium()
    db = tmp_path_factory.mktemp("browser") / "browser.db"
    url = f"sqlite:///{db}"
    with running_app(url) as base:
        yield base, url


def test_add_stakeholder_and_see_the_map_with_no_outside_request(app):
    base, db_url = app
    with browser_page() as (page, requests):
        page.goto(f"{base}/stakeholders")
        wait_idle(page)
        page.get_by_text("Add a stakeholder").click()
        page.get_by_label("Name *").fill("Olu Adeyemi <script>window.__pwned=1</script>")
        page.get_by_label("Organisation").fill("Hallam Carers Network")
        page.get_by_role("button", name="Add stakeholder").click()
        page.get_by_text("Saved: add Olu Adeyemi").wait_for(timeout=30_000)
        wait_idle(page)

        store = Store(db_url)
        m = store.load_map(store.list_maps()[0].id)
        assert any(s.organisation == "Hallam Carers Network" for s in m.stakeholders)

        page.goto(f"{base}/")
        wait_idle(page)
        assert _node_count(page) == len(m.stakeholders)
        assert page.evaluate("window.__pwned") is None
        assert outside_requests(requests) == []


def test_filters_in_the_link_change_what_is_drawn(app):
    base, _ = app
    sample = load_sample()
    members = sum(s.coalition for s in sample.stakeholders)
    with browser_page() as (page, requests):
        page.goto(f"{base}/?coalition=members")
        wait_idle(page)
        assert _node_count(page) == members
        assert page.get_by_text(f"Showing {members} of").count() == 1
        focus = next(s for s in sample.stakeholders if s.name == "Priya Raman")
        around = {focus.id} | {
            r.target if r.source == focus.id else r.source
            for r in sample.relationships
            if focus.id in (r.source, r.target)
        }
        page.goto(f"{base}/?focus={focus.id}&steps=1")
        wait_idle(page)
        assert _node_count(page) == len(around)
        assert outside_requests(requests) == []


def test_show_on_map_highlights_the_people_of_a_finding(app):
    base, _ = app
    with browser_page(viewport={"width": 1400, "height": 1000}) as (page, _requests):
        page.goto(f"{base}/gaps")
        card = page.locator("[data-testid='stExpander']", has_text="If Priya Raman left").first
        card.wait_for(timeout=60_000)  # the gap report is computed on the first visit
        wait_idle(page)
        card.locator("summary").click()
        button = card.get_by_role("button", name="Show on map")
        button.wait_for()
        wait_idle(page)  # a click during a run is taken, but keep the test's steps in order
        button.click()
        page.wait_for_function("() => !location.pathname.endsWith('/gaps')", timeout=60_000)
        wait_idle(page)
        page.get_by_text("Highlighted: If Priya Raman left").wait_for(timeout=60_000)
        frame = _map_frame(page)
        fonts = frame.evaluate("() => window.coalitionMap.nodes.get().map(n => n.lit)")
        lit, faded = fonts.count(True), fonts.count(False)
        assert lit >= 2, "the person at risk and those they hold together are emphasised"
        assert faded >= 1 and lit + faded == len(fonts), "everyone else is faded"


def test_hostile_names_stay_inert_on_every_page(tmp_path):
    require_chromium()
    people = tuple(
        Stakeholder(f"x{i}", f"{p} {i}", organisation=p, notes=p, tags=(p,), coalition=i == 0)
        for i, p in enumerate(PAYLOADS)
    )
    ties = (Relationship("r1", "x0", "x1", notes=PAYLOADS[0], how_we_know=PAYLOADS[1]),)
    hostile = Map(
        name=PAYLOADS[0], description=PAYLOADS[1], stakeholders=people, relationships=ties
    )
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    store = Store(url)
    store.create_map(hostile)
    store.close()
    with running_app(url) as base, browser_page() as (page, requests):
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in ("", "stakeholders", "relationships", "gaps", "what-if", "my-network",
                     "import-export"):  # fmt: skip
            page.goto(f"{base}/{path}")
            wait_idle(page)
            assert page.evaluate("window.__pwned") is None, path
            for frame in page.frames:
                assert frame.evaluate("() => window.__pwned") is None, path
        page.goto(f"{base}/")
        wait_idle(page)
        assert _node_count(page) == len(people)
        assert page.get_by_text("<script>window.__pwned=1</script>", exact=False).count() >= 1
        assert dialogs == []
        assert outside_requests(requests) == []


def test_dragging_a_person_saves_their_place_with_the_map(tmp_path):
    require_chromium()
    url = f"sqlite:///{tmp_path / 'drag.db'}"
    store = Store(url)
    map_id = store.create_map(load_sample())
    with (
        running_app(url) as base,
        browser_page(viewport={"width": 1400, "height": 1000}) as (
            page,
            requests,
        ),
    ):
        page.goto(f"{base}/")
        wait_idle(page)
        frame = _map_frame(page)
        frame.wait_for_function("() => window.coalitionMap.frozen === true", timeout=60_000)
        sid = frame.evaluate("() => window.coalitionMap.ids.n0")
        drag_first_person(page, frame, (8, 5), 10)
        page.get_by_text("Saved: move people on the map").wait_for(timeout=30_000)
        assert sid in store.load_map(map_id).positions
        assert outside_requests(requests) == []
