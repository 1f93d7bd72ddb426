"""A map whose people have saved positions draws and fits at once, in a real browser.

Positions far from the origin (around (5000, 5000), or a Kumu project's) must not leave the
page on "Arranging the map…" with nothing in view: the page becomes ready (drawn and still)
and every person is inside the visible canvas.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from mapping.drawing.render import render_html
from mapping.io.kumu.read import read_kumu
from mapping.model import Map, Relationship, Stakeholder
from tests.browser import browser_page

pytestmark = pytest.mark.browser

#: The page is ready when it has drawn and physics has stopped; this reports where every
#: node is drawn, relative to the canvas's visible box.
_PLACES = """() => {
    const map = window.coalitionMap;
    const net = map.network;
    const box = document.getElementById("mynetwork").getBoundingClientRect();
    const where = net.getPositions();
    return {
        width: box.width,
        height: box.height,
        status: document.getElementById("cm-status").textContent,
        physics: net.physics.options.enabled,
        points: Object.keys(where).map((id) => {
            const p = net.canvasToDOM(where[id]);
            return [id, p.x, p.y];
        }),
    };
}"""


def _three_far_away(placed: int = 3) -> Map:
    people = tuple(Stakeholder(i, name) for i, name in (("a", "Ann"), ("b", "Bo"), ("c", "Cy")))
    ties = (Relationship("r1", "a", "b"), Relationship("r2", "b", "c", directed=True))
    spots = {"a": (5000.0, 5000.0), "b": (5150.0, 4900.0), "c": (4880.0, 5120.0)}
    return Map(
        name="Far away",
        stakeholders=people,
        relationships=ties,
        positions={k: v for k, v in list(spots.items())[:placed]},
    )


def _check_ready_and_in_view(html: str, tmp_path, expected: int) -> None:
    path = tmp_path / "map.html"
    path.write_text(html, encoding="utf-8")
    with browser_page(viewport={"width": 1000, "height": 800}) as (page, _):
        page.goto(path.as_uri())
        page.wait_for_function(
            "window.coalitionMap && window.coalitionMap.drawn && window.coalitionMap.frozen",
            timeout=30_000,
        )
        # The fit happens on the drawing after the page is ready; wait until it holds.
        page.wait_for_function(
            f"""() => {{
                const r = ({_PLACES})();
                return r.points.length === {expected} && r.points.every(
                    ([, x, y]) => x >= 0 && y >= 0 && x <= r.width && y <= r.height);
            }}""",
            timeout=10_000,
        )
        state = page.evaluate(_PLACES)
    assert state["status"] == ""  # not "Arranging the map…"
    assert state["physics"] is False
    assert len(state["points"]) == expected
    outside = [
        p
        for p in state["points"]
        if not (0 <= p[1] <= state["width"] and 0 <= p[2] <= state["height"])
    ]
    assert outside == []


def test_three_people_positioned_around_5000_draw_and_fit(tmp_path):
    _check_ready_and_in_view(render_html(_three_far_away()), tmp_path, 3)


def test_two_of_three_positioned_far_away_also_fit(tmp_path):
    _check_ready_and_in_view(render_html(_three_far_away(placed=2)), tmp_path, 3)


def test_a_kumu_project_with_every_position_saved_draws_and_fits(shared_dir, tmp_path):
    data = (shared_dir / "fixtures" / "kumu" / "snap-to-tutorial-project.json").read_bytes()
    m = read_kumu("snap-to-tutorial-project.json", data)
    assert m.stakeholders and set(m.positions) == {s.id for s in m.stakeholders}
    # Moved far from the origin, as in the project that showed the fault.
    far = replace(m, positions={k: (x - 9000.0, y + 4000.0) for k, (x, y) in m.positions.items()})
    for drawn in (m, far):
        _check_ready_and_in_view(render_html(drawn), tmp_path, len(m.stakeholders))
