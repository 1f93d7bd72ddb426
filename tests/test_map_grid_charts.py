"""The power/interest grid in the report (a scene) and on the Gaps page (Vega-Lite) writes
everyone's name beside their point, and no two names overlap (issue 17, item 4)."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from mapping.analysis.gaps import analyse
from mapping.demo.sample import load_sample
from mapping.drawing.scene import Label, text_width
from mapping.report.content import grid_scene
from ui import charts


@pytest.fixture(scope="module")
def sample():
    m = load_sample()
    return m, analyse(m, today=date(2026, 3, 1))


def _overlaps(boxes: list[tuple[str, float, float, float, float]]) -> list[tuple[str, str]]:
    return [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]


def test_the_report_grid_names_everyone_without_overlap(sample):
    m, report = sample
    scene = grid_scene(m, report.grid)
    names = [i for i in scene.items if isinstance(i, Label) and i.role == "name"]
    assert len(names) == len(m.stakeholders)
    assert {n.text for n in names} >= {"Priya Raman", "Dr O. Bankole", "Helen Ashworth"}
    # each name as wide as the widest of the picture's fonts draws it (DejaVu Sans)
    assert {n.anchor for n in names} == {"start"}
    boxes = [
        (
            n.text,
            n.x,
            n.y - n.size,
            n.x + text_width(n.text, n.size, bold=n.bold),
            n.y + 0.25 * n.size,
        )
        for n in names
    ]
    assert _overlaps(boxes) == []
    assert min(n.size for n in names) >= 7
    # the sector names stay clear of the people's names
    sectors = [i for i in scene.items if isinstance(i, Label) and i.role == "sector"]
    sector_boxes = [
        (
            s.text,
            s.x - 0.3 * s.size * len(s.text),
            s.y - s.size,
            s.x + 0.3 * s.size * len(s.text),
            s.y,
        )
        for s in sectors
    ]
    assert _overlaps(boxes + sector_boxes) == []


def test_the_gaps_page_grid_writes_names_beside_the_points(sample):
    m, report = sample
    spec = charts.grid_chart(report.grid, m.perspectives)
    people = spec["datasets"]["people"]
    [text] = [
        layer
        for layer in spec["layer"]
        if layer.get("data", {}).get("name") == "people" and layer["mark"]["type"] == "text"
    ]
    assert text["encoding"]["text"]["field"] == "label"
    assert len(people) == len(m.stakeholders)
    assert set(people["label"]) >= {"Priya Raman", "Dr O. Bankole"}
    # names sit beside their points, one under another in each cell, at least 0.09 apart
    # (13 px on the 560 px chart), inside the cell and clear of the quadrants' names
    for _, cell in people.groupby(["influence", "interest"]):
        ys = sorted(cell["y"])
        assert all(b - a >= 0.09 for a, b in pairwise(ys))
        assert (cell["y"] < cell["influence"] + 0.41).all()
        assert (cell["y"] > cell["influence"] - 0.41).all()
    assert (people["y"] <= 5.3).all() and (people["y"] >= 0.7).all()
    assert people["label"].str.len().max() <= 17
