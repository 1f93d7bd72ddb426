"""The map: the interactive network with its legend."""

from __future__ import annotations

from datetime import date

import streamlit as st

from mapping.layout import spring_layout
from mapping.model import Map
from mapping.render import legend, render_html
from ui import state
from ui.text import md


@st.cache_data(show_spinner="Laying out the map…", max_entries=32)
def _positions(map_id: int, version: int, _m: Map) -> dict[str, tuple[float, float]]:
    """Seeded layout keyed on the map's version; saved positions stay where users put them."""
    return spring_layout(_m, seed=42, previous=dict(_m.positions))


@st.cache_data(show_spinner=False, max_entries=32)
def _html(
    map_id: int,
    version: int,
    highlight: tuple[str, ...],
    ties: tuple[tuple[str, str], ...],
    today: date,
    _m: Map,
) -> str:
    return render_html(
        _m,
        positions=_positions(map_id, version, _m),
        highlight=highlight,
        highlight_ties=ties,
        today=today,
    )


def page(cur: state.Current) -> None:
    m = cur.map
    st.header(m.name)
    if m.description:
        st.caption(m.description)
    if not m.stakeholders:
        st.info("This map is empty. Add stakeholders on the Stakeholders page to draw it.")
        return
    highlight = st.session_state.get("highlight")
    if highlight:
        note, clear = st.columns([5, 1])
        note.info(f"Highlighted: {highlight['title']}")
        if clear.button("Clear highlight"):
            st.session_state.pop("highlight")
            st.rerun()
    people = tuple(highlight["stakeholders"]) if highlight else ()
    ties = tuple(tuple(t) for t in highlight["ties"]) if highlight else ()
    drawing, key = st.columns([4, 1])
    with drawing:
        html = _html(cur.id, cur.version, people, ties, date.today(), m)
        st.iframe(html, height=680)
    with key:
        st.markdown("**Legend**")
        for item in legend(m):
            st.markdown(f"- {md(item.label)} — {md(item.description)}")


if __name__ == "__main__":
    from ui.nav import run

    run(page, "Map")
