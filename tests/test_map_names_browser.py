"""Names on the force-directed map at the fitted zoom, in a real Chromium (issue 17, item 2):
drawn at least 11 px high, no two drawn names overlapping, most people named on the sample and
on a 100-person map, a hidden name shown while the pointer is on its person and more names as
the user zooms in. Drawn as the map page draws them: in the frame the page gives the map on a
1366 x 768 laptop, at the places :func:`mapping.drawing.layout.place` gives."""

from __future__ import annotations

import pytest

from mapping.demo.sample import load_sample
from mapping.demo.synthetic import synthetic_map
from mapping.drawing.layout import place
from mapping.drawing.render import render_html
from tests.browser import browser_page

pytestmark = pytest.mark.browser

#: The map's frame on the map page at 1366 x 768 (the sidebar open).
FRAME = {"width": 672, "height": 680}

#: The names drawn (after a fresh drawing): vis-network's own label boxes (canvas units),
#: their height on screen, and where each person is on screen.
DRAWN = """() => {
    const map = window.coalitionMap, net = map.network;
    net.redraw();
    const s = net.getScale();
    const shown = Object.keys(map.labels).filter((id) => map.labels[id].shown);
    return {
        scale: s,
        boxes: shown.map((id) => {
            const b = net.body.nodes[id].labelModule.size;
            return [map.ids[id], b.left, b.top, b.left + b.width, b.top + b.height];
        }),
        px: shown.map((id) => net.body.nodes[id].options.font.size * s),
        hidden: Object.keys(map.labels).filter((id) => !map.labels[id].shown),
    };
}"""


def overlaps(boxes: list) -> list[tuple[str, str]]:
    return [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]


def drawn(page, m, tmp_path):
    path = tmp_path / "map.html"
    path.write_text(render_html(m, positions=place(m)), encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_function("() => window.coalitionMap && window.coalitionMap.ready")
    page.wait_for_function("() => window.coalitionMap.drawn")
    return page.evaluate(DRAWN)


@pytest.mark.parametrize(
    ("make", "named"),
    [(load_sample, 45), (lambda: synthetic_map(100, seed=1), 40)],
    ids=["sample", "100 people"],
)
def test_names_at_fit_are_readable_and_never_overlap(tmp_path, make, named):
    m = make()
    with browser_page(viewport=FRAME) as (page, _):
        names = drawn(page, m, tmp_path)
        assert overlaps(names["boxes"]) == []
        assert min(names["px"]) >= 11, names["px"]
        assert len(names["boxes"]) >= named, f"{len(names['boxes'])} of {len(m.stakeholders)}"
        if names["hidden"]:  # a hidden name shows while the pointer is on its person
            hidden, x, y = page.evaluate(
                """(hidden) => {
                    const net = window.coalitionMap.network;
                    const b = document.getElementById("mynetwork").getBoundingClientRect();
                    for (const id of hidden) {  // one whose marker nobody else's covers
                        const p = net.canvasToDOM(net.getPositions([id])[id]);
                        if (net.getNodeAt(p) === id) return [id, b.left + p.x, b.top + p.y];
                    }
                }""",
                names["hidden"],
            )
            colour = f"() => window.coalitionMap.network.body.nodes[{hidden!r}].options.font.color"
            page.mouse.move(x - 20, y - 20)
            page.mouse.move(x, y, steps=5)
            page.wait_for_function(f"() => window.coalitionMap.hovered === {hidden!r}")
            assert page.evaluate(colour) == "#1A1A1A"
            corner = page.locator("#mynetwork").bounding_box()  # an empty spot on the map
            page.mouse.move(corner["x"] + 3, corner["y"] + corner["height"] - 3, steps=5)
            page.wait_for_function("() => window.coalitionMap.hovered === null")
            assert page.evaluate(colour) == "rgba(0,0,0,0)"
            # zoomed in, more people are named, still without overlaps
            page.locator("#cm-zoom-in").click()
            page.locator("#cm-zoom-in").click()
            closer = page.evaluate(DRAWN)
            assert len(closer["hidden"]) < len(names["hidden"])
            assert overlaps(closer["boxes"]) == []


def test_a_zoom_step_on_2000_people_stays_quick(tmp_path):
    """Names and drawing after a zoom step on 2,000 people: about 65 ms here (target 120 ms);
    the bound is loose for a busy machine but catches names updated through vis-network's
    data set, which took about a second a step."""
    m = synthetic_map(2000, seed=1)
    with browser_page(viewport=FRAME) as (page, _):
        drawn(page, m, tmp_path)
        steps = page.evaluate(
            """() => {
                const net = window.coalitionMap.network, out = [];
                for (let i = 0; i < 8; i++) {
                    const t0 = performance.now();
                    document.getElementById(i % 2 ? "cm-zoom-out" : "cm-zoom-in").click();
                    net.redraw();
                    out.push(performance.now() - t0);
                }
                return out.sort((a, b) => a - b);
            }"""
        )
    assert steps[len(steps) // 2] < 400, steps
