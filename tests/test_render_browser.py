"""The map page in a real browser (Debian's headless Chromium): draws, stays offline, runs
no injected script, and reports dragged positions to the page around it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from mapping.changes.view import ViewFilter, apply_view
from mapping.drawing.render import relayout, render_html
from mapping.model import Map, Stakeholder
from tests.test_render import IMG, QUOTES, RTL, SCRIPT, xss_map

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Headless Chromium; skips without it on a user's machine, fails in CI (CI=true)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing, and CI must not skip the browser tests.")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened from a file, recording every request, dialog and script error."""

    def __init__(self, browser, path: Path) -> None:
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(accept_downloads=True)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:"))]


@pytest.fixture
def visit(browser, tmp_path):
    opened: list[Visit] = []

    def open_page(html: str, name: str = "map.html") -> Visit:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        v = Visit(browser, path)
        opened.append(v)
        return v

    yield open_page
    for v in opened:
        v.context.close()


def wait_drawn(page, frame=None) -> None:
    (frame or page).wait_for_function(
        "window.coalitionMap && window.coalitionMap.drawn && window.coalitionMap.frozen",
        timeout=60_000,
    )


def in_host(v, script: str = ""):
    """Open the page ``v`` visited (saved as map.html) in a frame of a page around it, with
    ``script`` in that page first; the frame, once drawn."""
    host = (
        f"<!DOCTYPE html><html><body style='margin:0'>{script}"
        "<iframe src='map.html' style='width:900px;height:760px;border:0'></iframe>"
        "</body></html>"
    )
    host_path = Path(v.page.url.removeprefix("file://")).with_name("host.html")
    host_path.write_text(host, encoding="utf-8")
    v.page.goto(host_path.as_uri())
    frame = v.page.wait_for_selector("iframe").content_frame()
    wait_drawn(v.page, frame)
    return frame


def node_point(frame, vis_id: str) -> tuple[float, float]:
    """Where a node is drawn, in the frame's viewport coordinates."""
    return tuple(
        frame.evaluate(
            """(id) => {
                const net = window.coalitionMap.network;
                const p = net.canvasToDOM(net.getPositions([id])[id]);
                const box = document.getElementById("mynetwork").getBoundingClientRect();
                return [box.left + p.x, box.top + p.y];
            }""",
            vis_id,
        )
    )


def test_small_map_draws_offline(visit, small_map):
    v = visit(render_html(small_map, standalone=True))
    wait_drawn(v.page)
    assert v.page.locator("#mynetwork canvas").count() == 1
    assert v.page.evaluate("window.coalitionMap.nodes.length") == 6
    assert v.page.evaluate("window.coalitionMap.edges.length") == 5
    # Physics settled the map, then was switched off so it stays still.
    assert v.page.evaluate("window.coalitionMap.network.physics.options.enabled") is False
    assert v.outside_requests() == []
    assert v.errors == [] and v.dialogs == []


def test_filtered_map_draws_only_the_people_in_view(visit, small_map):
    shown = apply_view(small_map, ViewFilter(coalition="members", hide_isolated=True))
    v = visit(render_html(shown))
    wait_drawn(v.page)
    assert v.page.evaluate("window.coalitionMap.nodes.length") == len(shown.stakeholders) == 3
    assert v.page.evaluate("window.coalitionMap.edges.length") == len(shown.relationships)
    assert v.page.evaluate("Object.values(window.coalitionMap.ids).sort()") == [
        "ann",
        "bob",
        "dan",
    ]


def test_injected_markup_runs_nowhere_and_shows_as_text(visit):
    v = visit(render_html(xss_map(), standalone=True, include_fields=("notes", "organisation")))
    page = v.page
    wait_drawn(page)
    labels = page.evaluate("window.coalitionMap.nodes.map(n => n.label)")
    assert labels == [SCRIPT, QUOTES, RTL]
    assert page.title() == SCRIPT
    assert page.locator("h1").inner_text() == SCRIPT
    legend = page.locator("#cm-legend").text_content()
    assert IMG in legend and SCRIPT in legend
    assert page.locator("img").count() == 0
    # Hover each person: vis-network shows the tooltip, which must hold text only.
    for vis_id, name in (("n0", SCRIPT), ("n1", QUOTES)):
        x, y = node_point(page, vis_id)
        page.mouse.move(x, y)
        tooltip = page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=5_000)
        assert tooltip.inner_text().splitlines()[0] == name
        # innerText turns line breaks into <br>; any other element would be injected markup.
        assert tooltip.evaluate("t => t.querySelectorAll(':not(br)').length") == 0
        page.mouse.move(1, 1)
    page.mouse.click(*node_point(page, "n0"))
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert v.dialogs == [] and v.errors == [] and v.outside_requests() == []


def test_payloads_in_every_field_leave_no_trace_in_the_dom(visit):
    v = visit(render_html(xss_map(), standalone=True))
    wait_drawn(v.page)
    for tag in ("script", "img", "iframe", "a"):
        # Only the page's own five scripts; no elements built from user text.
        count = v.page.locator(tag).count()
        assert count == (5 if tag == "script" else 0)
    text = v.page.locator("body").inner_text()
    assert SCRIPT in text and IMG in text  # heading, description and legend, as text


def test_dragging_a_person_posts_their_new_position_to_the_page_around(visit, small_map):
    v = visit(render_html(small_map, physics=False), name="map.html")
    frame = in_host(
        v,
        "<script>window.messages = [];"
        "addEventListener('message', e => window.messages.push(e.data));</script>",
    )
    start = frame.evaluate("window.coalitionMap.network.getPositions(['n0']).n0")
    x, y = node_point(frame, "n0")
    mouse = v.page.mouse
    mouse.move(x, y)
    mouse.down()
    for step in range(1, 11):
        mouse.move(x + 6 * step, y + 4 * step)
    mouse.up()
    v.page.wait_for_function("window.messages.length > 1", timeout=5_000)
    ready, message = v.page.evaluate("window.messages")[:2]
    assert ready == {"type": "coalition-mapper:ready"}, "the page says once it is drawn"
    assert message["type"] == "coalition-mapper:positions"
    assert list(message["positions"]) == ["ann"]
    new_x, new_y = message["positions"]["ann"]
    assert new_x > start["x"] + 20 and new_y > start["y"] + 10
    assert v.outside_requests() == []


def test_a_change_of_layout_is_taken_from_the_page_around_and_from_nobody_else(visit, small_map):
    where = {s.id: (100.0 * i, 50.0) for i, s in enumerate(small_map.stakeholders)}
    change = relayout(small_map, where, name="row", grid=True)
    v = visit(render_html(small_map, physics=False), name="map.html")
    wait_drawn(v.page)
    before = v.page.evaluate("window.coalitionMap.network.getPositions(['n1']).n1")
    # a page opened on its own is its own parent: a message from itself changes nothing
    v.page.evaluate(
        """(change) => {
            // heard after the page's own listener, which was added first
            addEventListener("message", () => { window.heard = true; });
            window.postMessage({type: "coalition-mapper:layout", change: change}, "*");
        }""",
        change,
    )
    v.page.wait_for_function("window.heard === true", timeout=5_000)
    assert v.page.evaluate("window.coalitionMap.network.getPositions(['n1']).n1") == before
    assert v.page.evaluate("window.coalitionMap.layout") is None
    frame = in_host(v)
    frame.evaluate(
        """() => { window.draws = 0;
            window.coalitionMap.network.on("afterDrawing", () => { window.draws += 1; }); }"""
    )
    v.page.evaluate(
        """(change) => document.querySelector('iframe').contentWindow.postMessage(
            {type: 'coalition-mapper:layout', change: change}, '*')""",
        change,
    )
    frame.wait_for_function("window.coalitionMap.relaidOut === true", timeout=5_000)
    # whatever the change left queued has run: the map was drawn again once, not per person
    frame.evaluate("() => new Promise((done) => setTimeout(done, 0))")
    assert frame.evaluate("window.draws") <= 2, frame.evaluate("window.draws")
    moved = frame.evaluate("window.coalitionMap.network.getPositions(['n1']).n1")
    shown = frame.evaluate(
        """() => { const m = window.coalitionMap;
            return [m.layout, m.gridLabels.length, m.network.body.nodes.n1.options.size]; }"""
    )
    assert moved == {"x": 100, "y": 50}
    assert shown == ["row", 6, 7]
    assert v.outside_requests() == []


def test_download_png_saves_the_drawing_without_any_request(visit, small_map, tmp_path):
    v = visit(render_html(small_map))
    wait_drawn(v.page)
    with v.page.expect_download() as info:
        v.page.get_by_role("button", name="Download PNG").click()
    download = info.value
    assert download.suggested_filename == "coalition-map.png"
    saved = tmp_path / "saved.png"
    download.save_as(saved)
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert v.outside_requests() == []


def test_a_large_map_draws_without_physics(visit):
    people = tuple(Stakeholder(f"p{i}", f"Person {i}") for i in range(400))
    v = visit(render_html(Map(name="Large", stakeholders=people)))
    wait_drawn(v.page)
    assert v.page.evaluate("window.coalitionMap.nodes.length") == 400
    assert v.page.evaluate("window.coalitionMap.network.physics.options.enabled") is False
