"""The gaps page's charts: Vega-Lite specs carrying every figure, sized per row, described."""

from __future__ import annotations

from datetime import date

import pytest

from mapping.analysis.gaps import analyse
from mapping.demo.sample import load_sample
from ui import charts


@pytest.fixture(scope="module")
def sample():
    m = load_sample()
    return m, analyse(m, today=date(2026, 1, 1))


def _common(spec: dict) -> None:
    assert spec["title"] and spec["description"].endswith("table beside the chart.")
    # the height is the plotting area's, so titles, axes and legends cannot squeeze it
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["config"]["axis"]["labelColor"] == charts.TEXT


def test_coverage_chart_has_two_bars_per_perspective_and_room_for_each(sample):
    _, report = sample
    spec = charts.coverage_chart(report.coverage)
    _common(spec)
    data = spec["data"]["values"]
    assert len(data) == 2 * len(report.coverage)
    inside = data[data["Where"] == "In coalition"].set_index("Perspective")["People"]
    assert inside.to_dict() == {r.perspective: len(r.members) for r in report.coverage}
    assert spec["height"] >= 28 * len(report.coverage)
    assert spec["encoding"]["y"]["sort"] == [r.perspective for r in report.coverage]


def test_heatmap_has_a_cell_per_pair_and_names_the_silos(sample):
    _, report = sample
    spec = charts.heatmap_chart(report.tie_matrix)
    _common(spec)
    cells = spec["data"]["values"]
    n = len(report.tie_matrix.perspectives)
    assert len(cells) == n * n and spec["height"] >= 30 * n
    silent = [
        f"{p} and {q}"
        for i, p in enumerate(report.tie_matrix.perspectives)
        for q in report.tie_matrix.perspectives[i + 1 :]
        if not report.tie_matrix.counts[p][q]
    ]
    assert silent and all(pair in spec["description"] for pair in silent)


def test_grid_plots_everyone_inside_the_1_to_5_scale(sample):
    m, report = sample
    spec = charts.grid_chart(report.grid, m.perspectives)
    _common(spec)
    people = spec["datasets"]["people"]
    assert len(people) == len(m.stakeholders)
    assert people["x"].between(0.5, 5.5).all() and people["y"].between(0.5, 5.5).all()
    # people sharing a cell are spread so that each stays visible
    assert not people.duplicated(["x", "y"]).any()
    shapes = next(layer for layer in spec["layer"] if "shape" in layer["encoding"])
    assert shapes["encoding"]["shape"]["scale"]["domain"] == list(charts.STANCE_SHAPES)
