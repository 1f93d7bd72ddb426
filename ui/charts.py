"""Charts for the analysis screens (Vega-Lite; Altair for history); each has a table beside it
as its text alternative."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import altair as alt
import pandas as pd

from mapping.analysis.coverage import PerspectiveCoverage
from mapping.analysis.silos import TieMatrix
from mapping.drawing import encoding

#: The map's perspective colours and stance shapes (mapping.drawing.encoding), so that a
#: chart reads the same as the map and stance never depends on colour.
PALETTE = [colour for colour, _ in encoding.PALETTE]
STANCE_SHAPES = {stance.value: shape for stance, shape in encoding.VEGA_SHAPES.items()}


#: Chart text colour: #333333 reads at 12.6:1 on white (Streamlit's default grey is fainter).
TEXT = "#333333"


C = TypeVar("C", bound=alt.TopLevelMixin)


def legible(chart: C) -> C:
    """The chart with axis, legend and title text dark enough for WCAG AA contrast."""
    return (
        chart.configure_axis(labelColor=TEXT, titleColor=TEXT, labelFontSize=12)
        .configure_legend(labelColor=TEXT, titleColor=TEXT, labelFontSize=12)
        .configure_title(color="#111111", anchor="start")
    )


def coverage_frame(rows: Sequence[PerspectiveCoverage]) -> pd.DataFrame:
    """Per perspective: people in and outside the coalition, and ties into it."""
    return pd.DataFrame(
        [
            {
                "Perspective": r.perspective,
                "In coalition": len(r.members),
                "Outside": len(r.outside),
                "Highest influence in coalition": r.highest_member_influence,
                "Ties into coalition": r.ties_into_coalition,
            }
            for r in rows
        ]
    )


def coverage_chart(rows: Sequence[PerspectiveCoverage]) -> dict[str, Any]:
    """Stacked bars: who of each perspective is in the coalition and who is outside."""
    frame = coverage_frame(rows).melt(
        id_vars=["Perspective"],
        value_vars=["In coalition", "Outside"],
        var_name="Where",
        value_name="People",
    )
    return _chart(
        {
            "data": {"values": frame},
            "mark": {"type": "bar"},
            "encoding": {
                "y": _field(
                    "Perspective",
                    "nominal",
                    sort=[r.perspective for r in rows],
                    title=None,
                    axis={"labelLimit": 220},
                ),
                "x": _field(
                    "People",
                    "quantitative",
                    title="People on the map",
                    axis={"tickMinStep": 1, "format": "d"},
                ),
                "color": _field(
                    "Where",
                    "nominal",
                    scale={"domain": ["In coalition", "Outside"], "range": ["#0072B2", "#8A8A8A"]},
                    legend={"orient": "bottom", "title": None},
                ),
                "tooltip": _tooltip(Perspective="nominal", Where="nominal", People="quantitative"),
            },
        },
        height=max(80, 28 * len(rows)),
        title="Who of each perspective is in the coalition",
        description=_described(
            "Bar chart of people in and outside the coalition, per perspective",
            [f"{r.perspective}: {len(r.members)} in, {len(r.outside)} outside" for r in rows],
        ),
    )


def heatmap_frame(matrix: TieMatrix) -> pd.DataFrame:
    """One row per pair of perspectives: tie count and mean strength."""
    return pd.DataFrame(
        [
            {
                "From perspective": p,
                "To perspective": q,
                "Ties": matrix.counts[p][q],
                "Mean strength": matrix.mean_strength[p][q],
            }
            for p in matrix.perspectives
            for q in matrix.perspectives
        ]
    )


def heatmap_chart(matrix: TieMatrix) -> dict[str, Any]:
    """Perspective × perspective heat map of tie counts; empty cells are silos."""
    order = list(matrix.perspectives)
    axes = {
        "x": _field(
            "To perspective",
            "nominal",
            sort=order,
            title=None,
            axis={"labelAngle": -35, "labelLimit": 220, "labelOverlap": False},
        ),
        "y": _field(
            "From perspective", "nominal", sort=order, title=None, axis={"labelLimit": 220}
        ),
    }
    cells = {
        "mark": {"type": "rect", "stroke": "white"},
        "encoding": {
            **axes,
            # Light to mid blue: black labels read at 6:1 or better on every cell (WCAG AA).
            "color": _field(
                "Ties", "quantitative", scale={"range": ["#EEF5FB", "#4592C6"]}, title="Ties"
            ),
            "tooltip": _tooltip(
                **{
                    "From perspective": "nominal",
                    "To perspective": "nominal",
                    "Ties": "quantitative",
                    "Mean strength": "quantitative",
                }
            ),
        },
    }
    labels = {
        "mark": {"type": "text", "fontSize": 12},
        "encoding": {
            **axes,
            "text": {"field": "Ties", "type": "quantitative"},
            "color": {"value": "black"},
        },
    }
    silent = [
        f"{p} and {q}"
        for i, p in enumerate(order)
        for q in order[i + 1 :]
        if not matrix.counts[p][q] and not matrix.counts[q][p]
    ]
    return _chart(
        {"data": {"values": heatmap_frame(matrix)}, "layer": [cells, labels]},
        height=max(120, 34 * len(order)),
        title="Ties between perspectives (empty cells are silos)",
        description=_described(
            "Heat map of the number of ties between each pair of perspectives; pairs with no tie",
            silent or ["none"],
        ),
    )


#: The 1-5 ratings of the power/interest grid, with room around them and whole-number ticks.
SCALE_1_5 = {"domain": [0.5, 5.5], "zero": False, "nice": False}
AXIS_1_5 = {"values": [1, 2, 3, 4, 5], "format": "d", "grid": False}
#: The grid's quadrants: where each name is written and how it is aligned.
QUADRANTS = pd.DataFrame(
    {
        "x": [5.4, 0.6, 5.4, 0.6],
        "y": [5.4, 5.4, 0.6, 0.6],
        "label": ["Manage closely", "Keep satisfied", "Keep informed", "Monitor"],
        "align": ["right", "left", "right", "left"],
    }
)


def grid_chart(
    table: pd.DataFrame, perspectives: Sequence[str], cut: float = 3.5
) -> dict[str, Any]:
    """The power/interest grid: interest across, influence up, quadrants marked."""
    frame = table.copy().sort_values(["influence", "interest", "name"]).reset_index(drop=True)
    # People who share a cell stand in a column down its left side, each with their name
    # beside them, so that no two names overlap (deterministic); the top and bottom rows keep
    # room for the quadrants' names.
    cell = frame.groupby(["influence", "interest"])
    frame["offset"] = cell.cumcount()
    count = cell["offset"].transform("size")
    high = frame["influence"] + frame["influence"].map(lambda v: 0.25 if v == 5 else 0.4)
    low = frame["influence"] - frame["influence"].map(lambda v: 0.25 if v == 1 else 0.4)
    frame["x"] = frame["interest"] - 0.38
    frame["y"] = high - (frame["offset"] + 0.5) * (high - low) / count
    frame["label"] = frame["name"].map(lambda n: encoding.short_name(str(n), 17))
    frame["Coalition"] = frame["coalition"].map({True: "member", False: "not a member"})
    columns = ["name", "perspective", "stance", "influence", "interest", "Coalition", "sector"]
    points = {
        "data": {"name": "people"},
        # A dark outline keeps light fills (yellow, sky blue) visible on white.
        "mark": {
            "type": "point",
            "size": 70,
            "filled": True,
            "opacity": 0.9,
            "stroke": "#333333",
            "strokeWidth": 0.7,
        },
        "encoding": {
            "x": _field("x", "quantitative", scale=SCALE_1_5, axis=AXIS_1_5, title="Interest →"),
            "y": _field("y", "quantitative", scale=SCALE_1_5, axis=AXIS_1_5, title="Influence →"),
            "color": _field(
                "perspective",
                "nominal",
                scale={"domain": list(perspectives), "range": PALETTE},
                title="Perspective",
            ),
            "shape": _field(
                "stance",
                "nominal",
                scale={"domain": list(STANCE_SHAPES), "range": list(STANCE_SHAPES.values())},
                title="Stance",
                # below the grid: beside it, under eight perspectives, it was cut short
                legend={"orient": "bottom", "columns": 6},
            ),
            "tooltip": _tooltip(
                **{
                    c: "quantitative" if c in ("influence", "interest") else "nominal"
                    for c in columns
                }
            ),
        },
    }
    labels = {
        "data": {"name": "people"},
        "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 7, "fontSize": 10},
        "encoding": {
            "x": _field("x", "quantitative", scale=SCALE_1_5),
            "y": _field("y", "quantitative", scale=SCALE_1_5),
            "text": _field("label", "nominal"),
            "color": {"value": TEXT},
            "tooltip": _tooltip(name="nominal", sector="nominal"),
        },
    }
    rule = {"type": "rule", "strokeDash": [4, 4], "color": "#555"}
    cuts = [
        {"data": {"name": "cut"}, "mark": rule, "encoding": {axis: _field("at", "quantitative")}}
        for axis in ("x", "y")
    ]
    names = [
        {
            "data": {"name": "quadrants"},
            "transform": [{"filter": {"field": "align", "equal": align}}],
            "mark": {"type": "text", "align": align, "fontWeight": "bold", "color": "#333"},
            "encoding": {
                "x": _field("x", "quantitative"),
                "y": _field("y", "quantitative"),
                "text": _field("label", "nominal"),
            },
        }
        for align in ("left", "right")
    ]
    sectors = table["sector"].value_counts().to_dict() if "sector" in table else {}
    return _chart(
        {
            "datasets": {
                "people": frame[["x", "y", "label", *columns]],
                "cut": pd.DataFrame({"at": [cut]}),
                "quadrants": QUADRANTS,
            },
            "layer": [*cuts, points, labels, *names],
        },
        height=560,
        title="Power / interest grid",
        description=_described(
            "Scatter chart of stakeholders by interest (across) and influence (up); colour is "
            "perspective, marker shape is stance; people per sector",
            [f"{k}: {int(v)}" for k, v in sectors.items()] or ["nobody"],
        ),
    )


#: The text colours of :func:`legible`, for charts written as Vega-Lite specs.
_CONFIG = {
    "axis": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12},
    "legend": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12},
    "title": {"color": "#111111", "anchor": "start"},
}


def _chart(spec: dict[str, Any], *, height: int, title: str, description: str) -> dict[str, Any]:
    """A Vega-Lite spec (for ``st.vega_lite_chart``) with a title, a text description and the
    legible text colours.

    Written as plain specs rather than through Altair: building and checking an Altair chart
    took 50-150 ms per chart, on every rerun of the gaps page.
    """
    return {
        **spec,
        # the height is the plotting area's: Streamlit's default ("fit") squeezed titles, axes
        # and legends into it, leaving a few pixels a bar
        "autosize": {"type": "fit-x", "contains": "padding"},
        "height": height,
        "title": title,
        "description": description,
        "config": _CONFIG,
    }


def _field(name: str, kind: str, **more: Any) -> dict[str, Any]:
    """One encoding channel: a field, its type and options (``title=None`` for no title).

    >>> _field("People", "quantitative", title="People on the map")
    {'field': 'People', 'type': 'quantitative', 'title': 'People on the map'}
    """
    return {"field": name, "type": kind, **more}


def _tooltip(**kinds: str) -> list[dict[str, str]]:
    """Tooltip fields and their types, in order.

    >>> _tooltip(Ties="quantitative")
    [{'field': 'Ties', 'type': 'quantitative'}]
    """
    return [{"field": name, "type": kind} for name, kind in kinds.items()]


def _described(summary: str, items: Sequence[str], limit: int = 12) -> str:
    """A chart's text description (its aria-label): what it shows, then the main values.

    >>> _described("Bars", ["a: 1", "b: 2"])
    'Bars: a: 1; b: 2. The same figures are in the table beside the chart.'
    """
    shown = "; ".join(items[:limit]) + ("; …" if len(items) > limit else "")
    return f"{summary}: {shown}. The same figures are in the table beside the chart."
