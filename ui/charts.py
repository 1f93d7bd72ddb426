"""Charts (Altair) for the analysis screens; each has a table beside it as its text alternative."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from mapping.analysis.coverage import PerspectiveCoverage
from mapping.analysis.silos import TieMatrix

# Okabe–Ito, the colour-blind-safe palette the map uses too.
PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]
#: Stance -> Vega marker: the same shapes as on the map (mapping.render.STANCE_SHAPES), so
#: that stance never depends on colour and reads the same in every picture.
STANCE_SHAPES = {
    "champion": "M0,-1L0.235,-0.324L0.951,-0.309L0.38,0.124L0.588,0.809L0,0.4L-0.588,0.809"
    "L-0.38,0.124L-0.951,-0.309L-0.235,-0.324Z",  # star
    "supporter": "triangle-up",
    "neutral": "circle",
    "sceptic": "square",
    "opposed": "triangle-down",
    "unknown": "M-1,0L-0.5,-0.866L0.5,-0.866L1,0L0.5,0.866L-0.5,0.866Z",  # hexagon
}


#: Chart text colour: #333333 reads at 12.6:1 on white (Streamlit's default grey is fainter).
TEXT = "#333333"


def legible(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
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


def coverage_chart(rows: Sequence[PerspectiveCoverage]) -> alt.TopLevelMixin:
    """Stacked bars: who of each perspective is in the coalition and who is outside."""
    frame = coverage_frame(rows).melt(
        id_vars=["Perspective"],
        value_vars=["In coalition", "Outside"],
        var_name="Where",
        value_name="People",
    )
    return legible(
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("Perspective:N", sort=[r.perspective for r in rows], title=None),
            x=alt.X("People:Q", title="People on the map"),
            color=alt.Color(
                "Where:N",
                scale=alt.Scale(domain=["In coalition", "Outside"], range=["#0072B2", "#8A8A8A"]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=["Perspective", "Where", "People"],
        )
        .properties(
            height=max(160, 28 * len(rows)),
            title="Who of each perspective is in the coalition",
            description=_described(
                "Bar chart of people in and outside the coalition, per perspective",
                [f"{r.perspective}: {len(r.members)} in, {len(r.outside)} outside" for r in rows],
            ),
        )
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


def heatmap_chart(matrix: TieMatrix) -> alt.TopLevelMixin:
    """Perspective × perspective heat map of tie counts; empty cells are silos."""
    frame = heatmap_frame(matrix)
    order = list(matrix.perspectives)
    base = alt.Chart(frame).encode(
        x=alt.X(
            "To perspective:N",
            sort=order,
            title=None,
            axis=alt.Axis(labelAngle=-35, labelLimit=220, labelOverlap=False),
        ),
        y=alt.Y("From perspective:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
    )
    cells = base.mark_rect(stroke="white").encode(
        # Light to mid blue: black labels read at 6:1 or better on every cell (WCAG AA).
        color=alt.Color("Ties:Q", scale=alt.Scale(range=["#EEF5FB", "#4592C6"]), title="Ties"),
        tooltip=["From perspective", "To perspective", "Ties", "Mean strength"],
    )
    labels = base.mark_text(fontSize=12).encode(
        text="Ties:Q",
        color=alt.value("black"),
    )
    silent = [
        f"{p} and {q}"
        for i, p in enumerate(order)
        for q in order[i + 1 :]
        if not matrix.counts[p][q] and not matrix.counts[q][p]
    ]
    return legible(
        (cells + labels).properties(
            height=max(220, 38 * len(order)),
            title="Ties between perspectives (empty cells are silos)",
            description=_described(
                "Heat map of the number of ties between each pair of perspectives; pairs with no tie",
                silent or ["none"],
            ),
        )
    )


#: The 1-5 ratings of the power/interest grid, with room around them and whole-number ticks.
SCALE_1_5 = alt.Scale(domain=[0.5, 5.5], zero=False, nice=False)
AXIS_1_5 = alt.Axis(values=[1, 2, 3, 4, 5], format="d", grid=False)


def grid_chart(
    table: pd.DataFrame, perspectives: Sequence[str], cut: float = 3.5
) -> alt.TopLevelMixin:
    """The power/interest grid: interest across, influence up, quadrants marked."""
    frame = table.copy()
    # Spread people who share a cell so that each stays visible (deterministic).
    cell = frame.groupby(["influence", "interest"])
    frame["offset"] = cell.cumcount()
    across = cell["offset"].transform("size").clip(upper=5)
    rows = (cell["offset"].transform("size") + 4) // 5
    frame["x"] = frame["interest"] + (frame["offset"] % 5 - (across - 1) / 2) * 0.12
    frame["y"] = frame["influence"] + (frame["offset"] // 5 - (rows - 1) / 2) * 0.12
    frame["Coalition"] = frame["coalition"].map({True: "member", False: "not a member"})
    points = (
        alt.Chart(frame)
        # A dark outline keeps light fills (yellow, sky blue) visible on white.
        .mark_point(size=110, filled=True, opacity=0.9, stroke="#333333", strokeWidth=0.7)
        .encode(
            x=alt.X("x:Q", scale=SCALE_1_5, axis=AXIS_1_5, title="Interest →"),
            y=alt.Y("y:Q", scale=SCALE_1_5, axis=AXIS_1_5, title="Influence →"),
            color=alt.Color(
                "perspective:N",
                scale=alt.Scale(domain=list(perspectives), range=PALETTE),
                title="Perspective",
            ),
            shape=alt.Shape(
                "stance:N",
                scale=alt.Scale(domain=list(STANCE_SHAPES), range=list(STANCE_SHAPES.values())),
                title="Stance",
            ),
            tooltip=[
                "name",
                "perspective",
                "stance",
                "influence",
                "interest",
                "Coalition",
                "sector",
            ],
        )
    )
    rules = pd.DataFrame({"at": [cut]})
    vertical = alt.Chart(rules).mark_rule(strokeDash=[4, 4], color="#555").encode(x="at:Q")
    horizontal = alt.Chart(rules).mark_rule(strokeDash=[4, 4], color="#555").encode(y="at:Q")
    quadrants = pd.DataFrame(
        {
            "x": [5.4, 0.6, 5.4, 0.6],
            "y": [5.4, 5.4, 0.6, 0.6],
            "label": ["Manage closely", "Keep satisfied", "Keep informed", "Monitor"],
            "align": ["right", "left", "right", "left"],
        }
    )
    names = []
    for align in ("left", "right"):
        names.append(
            alt.Chart(quadrants[quadrants["align"] == align])
            .mark_text(align=align, fontWeight="bold", color="#333")
            .encode(x="x:Q", y="y:Q", text="label:N")
        )
    sectors = table["sector"].value_counts().to_dict() if "sector" in table else {}
    return legible(
        (vertical + horizontal + points + names[0] + names[1]).properties(
            height=440,
            title="Power / interest grid",
            description=_described(
                "Scatter chart of stakeholders by interest (across) and influence (up); colour is "
                "perspective, marker shape is stance; people per sector",
                [f"{k}: {int(v)}" for k, v in sectors.items()] or ["nobody"],
            ),
        )
    )


def _described(summary: str, items: Sequence[str], limit: int = 12) -> str:
    """A chart's text description (its aria-label): what it shows, then the main values.

    >>> _described("Bars", ["a: 1", "b: 2"])
    'Bars: a: 1; b: 2. The same figures are in the table beside the chart.'
    """
    shown = "; ".join(items[:limit]) + ("; …" if len(items) > limit else "")
    return f"{summary}: {shown}. The same figures are in the table beside the chart."
