"""Charts (Altair) for the analysis screens; each has a table beside it as its text alternative."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from mapping.analysis.coverage import PerspectiveCoverage
from mapping.analysis.silos import TieMatrix

# Okabe–Ito, the colour-blind-safe palette the map uses too.
PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]
STANCE_SHAPES = {
    "champion": "diamond",
    "supporter": "triangle-up",
    "neutral": "circle",
    "sceptic": "square",
    "opposed": "cross",
    "unknown": "triangle-down",
}


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


def coverage_chart(rows: Sequence[PerspectiveCoverage]) -> alt.Chart:
    """Stacked bars: who of each perspective is in the coalition and who is outside."""
    frame = coverage_frame(rows).melt(
        id_vars=["Perspective"],
        value_vars=["In coalition", "Outside"],
        var_name="Where",
        value_name="People",
    )
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("Perspective:N", sort=[r.perspective for r in rows], title=None),
            x=alt.X("People:Q", title="People on the map"),
            color=alt.Color(
                "Where:N",
                scale=alt.Scale(domain=["In coalition", "Outside"], range=["#0072B2", "#BBBBBB"]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=["Perspective", "Where", "People"],
        )
        .properties(height=max(160, 28 * len(rows)))
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


def heatmap_chart(matrix: TieMatrix) -> alt.LayerChart:
    """Perspective × perspective heat map of tie counts; empty cells are silos."""
    frame = heatmap_frame(matrix)
    order = list(matrix.perspectives)
    base = alt.Chart(frame).encode(
        x=alt.X("To perspective:N", sort=order, title=None, axis=alt.Axis(labelAngle=-35)),
        y=alt.Y("From perspective:N", sort=order, title=None),
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("Ties:Q", scale=alt.Scale(scheme="blues"), title="Ties"),
        tooltip=["From perspective", "To perspective", "Ties", "Mean strength"],
    )
    labels = base.mark_text(fontSize=12).encode(
        text="Ties:Q",
        color=alt.condition(alt.datum.Ties > 4, alt.value("white"), alt.value("black")),
    )
    return (cells + labels).properties(height=max(220, 38 * len(order)))


def grid_chart(
    table: pd.DataFrame, perspectives: Sequence[str], cut: float = 3.5
) -> alt.LayerChart:
    """The power/interest grid: interest across, influence up, quadrants marked."""
    frame = table.copy()
    # Spread people who share a cell so that each stays visible (deterministic).
    frame["offset"] = frame.groupby(["influence", "interest"]).cumcount()
    frame["x"] = frame["interest"] + (frame["offset"] % 5 - 2) * 0.12
    frame["y"] = frame["influence"] + (frame["offset"] // 5 - 1) * 0.12
    frame["Coalition"] = frame["coalition"].map({True: "member", False: "not a member"})
    points = (
        alt.Chart(frame)
        .mark_point(size=110, filled=True, opacity=0.9)
        .encode(
            x=alt.X("x:Q", scale=alt.Scale(domain=[0.5, 5.5]), title="Interest →"),
            y=alt.Y("y:Q", scale=alt.Scale(domain=[0.5, 5.5]), title="Influence →"),
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
    return (vertical + horizontal + points + names[0] + names[1]).properties(height=440)
