"""The click benchmark at its smallest setting: it completes and writes its table (a smoke
run: no timing is asserted)."""

from __future__ import annotations

import pytest

from mapping.bench.click_actions import ACTIONS
from mapping.bench.clicks import EDITOR_FLOOR, click_table, click_targets, measure_clicks
from tests.browser import require_chromium

pytestmark = pytest.mark.browser


def test_every_page_and_every_common_action_are_timed_beside_streamlits_floor():
    require_chromium()
    floor, rows = measure_clicks(maps=(None,), repeats=1)
    steps = [r.step for r in rows]
    assert floor > 0
    assert steps[:4] == [EDITOR_FLOOR, "Open Start here", "Open Map, first visit", "Open Map"]
    assert "Open Coalition gaps" in steps
    assert steps[-len(ACTIONS) :] == [name for name, _ in ACTIONS]
    assert {"Edit a table cell", "Drag a person on the map", "Confirm a review"} <= set(steps)
    assert steps.index("Open Coalition gaps, first visit") + 1 == steps.index("Open Coalition gaps")
    assert [r for r in rows if r.median_ms is None] == []
    assert all(r.kib is not None and r.kib > 0 for r in rows)
    [visit] = [r for r in rows if r.step == "Open Map"]
    assert visit.ratio == pytest.approx(visit.median_ms / floor)
    text = click_table(floor, rows)
    assert text.count("\n| sample (52 people) |") == len(rows) + 1
    targets = click_targets(rows)
    assert [t.split(" | ")[1] for t in targets] == [
        "Page switches within 1.5× Streamlit's floor (median)",
        "Common actions within 1.5× Streamlit's floor (median)",
        "Coalition gaps under 500 ms, even on a first visit",
        "A revisit of the Map page sends under 50 KiB",
    ]
    assert all(t.endswith((" met |", " not met |")) for t in targets)
