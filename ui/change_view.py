"""What changed between two versions of a map, shown: the coalition's figures before and after,
the people and relationships changed, and both maps side by side (the Reflect page's "What
changed")."""

from __future__ import annotations

from datetime import date

import streamlit as st

from mapping.analysis import headline
from mapping.changes.diff import HEADLINE, MapDiff
from mapping.drawing.layout import canvas_scale, spring_layout
from mapping.model import Map
from mapping.model.wording import count_of
from ui import cache, tables
from ui.about import figure_help
from ui.preferences import current_settings
from ui.snapshot_drawing import drawing

__all__ = ["show_figures", "show_tables", "show_maps"]


def _value(value: object) -> str:
    """A changed value in a table cell."""
    if value is None or value == "" or value == ():
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return " | ".join(value)
    return str(getattr(value, "isoformat", lambda: value)())


def show_figures(d: MapDiff) -> None:
    st.subheader("The coalition's figures")
    verdict = d.verdicts()
    for column, key in zip(st.columns(len(HEADLINE)), HEADLINE, strict=True):
        label, better = headline.FIGURES[key]
        old, new = d.figures_before[key], d.figures_after[key]
        share = isinstance(new, float)
        delta = new - old
        column.metric(
            label,
            f"{new:.0%}" if share else str(new),
            delta=(
                (f"{delta:+.0%}" if share else f"{delta:+d}")
                + (f" ({verdict[key]})" if verdict[key] in ("better", "worse") else "")
                if verdict[key] != "same"
                else None
            ),
            delta_color="normal" if better >= 0 else "inverse",
            help=figure_help(key, f"Before: {old:.0%}" if share else f"Before: {old}"),
        )


def show_tables(d: MapDiff) -> None:
    names = d.names
    people = [{"Who": names[i], "Change": "added"} for i in d.added]
    people += [{"Who": names[i], "Change": "removed"} for i in d.removed]
    people += [
        {
            "Who": c.name,
            "Change": f"{c.field.replace('_', ' ')}: {_value(c.before)} → {_value(c.after)}",
        }
        for c in d.changes
    ]
    ties = []
    for kind, rows in (
        ("gained", d.gained),
        ("lost", d.lost),
        ("strengthened", d.strengthened),
        ("weakened", d.weakened),
        ("changed", d.tie_changes),
    ):
        for t in rows:
            ties.append(
                {
                    "From": names.get(t.source, t.source),
                    "To": names.get(t.target, t.target),
                    "Type": t.type,
                    "Change": kind if kind != "changed" else t.field.replace("_", " "),
                    "Before": _value(t.before),
                    "After": _value(t.after),
                }
            )
    left, right = st.columns(2)
    with left:
        st.markdown(f"**People ({count_of(len(people), 'change')})**")
        if people:
            tables.table(people, "people-changed")
    with right:
        st.markdown(f"**Relationships ({count_of(len(ties), 'change')})**")
        if ties:
            tables.table(ties, "relationships-changed")


def show_maps(
    d: MapDiff, before: Map, after: Map, keys: tuple[cache.Key, str], days: tuple[date, date]
) -> None:
    st.caption(
        "Emphasised: people added, removed or changed, and relationships gained, lost or "
        "changed; everyone else is faded."
    )
    scale = canvas_scale(len(after.stakeholders) + len(d.removed))
    where = spring_layout(after, seed=42, previous=dict(after.positions), scale=scale)
    where = {**spring_layout(before, seed=42, previous=where, scale=scale), **where}
    stale = current_settings().stale_months
    left, right = st.columns(2)
    for column, m, (people, ties), day, label in (
        (left, before, d.highlight_before(), days[0], "Before"),
        (right, after, d.highlight_after(), days[1], "After"),
    ):
        with column:
            st.markdown(f"**{label}**")
            if not m.stakeholders:
                st.info("Nobody on the map.")
                continue
            side = (keys[1], label)
            html = drawing(keys[0], side, tuple(people), tuple(ties), day, stale, m, where)
            st.iframe(html, height=480)
