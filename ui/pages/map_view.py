"""The map: filters and focus, layouts, details on selection, drag to place, export."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date

import streamlit as st

from mapping.edit import stakeholder_labels
from mapping.errors import MappingError
from mapping.layout import canvas_scale, grid_layout, perspective_layout, spring_layout
from mapping.model import Map, Stance
from mapping.render import NODE_FIELDS, PHYSICS_LIMIT, legend, render_html
from mapping.view import (
    COALITION_CHOICES,
    ViewFilter,
    apply_view,
    from_query_params,
    to_query_params,
)
from ui import cache, state, tables
from ui.bridge import clean_positions, map_bridge
from ui.preferences import current_settings
from ui.text import md
from ui.welcome import welcome

LAYOUTS = {
    "force": "Force-directed (drag people to place them)",
    "perspective": "Grouped by perspective",
    "grid": "Power / interest grid",
}
#: Above this many stakeholders the page opens on a focused view, not the whole hairball.
WHOLE_MAP_LIMIT = 2000


@cache.cached("map layouts", 32, spinner="Laying out the map…")
def positions_for(key: cache.Key, layout: str, _m: Map) -> dict[str, tuple[float, float]]:
    """Positions of everyone on the whole map (``_m``, in the state ``key``), kept per layout."""
    scale = canvas_scale(len(_m.stakeholders))
    if layout == "grid":
        return grid_layout(_m, scale=scale)
    if layout == "perspective":
        return perspective_layout(_m, scale=scale)
    return spring_layout(_m, seed=42, previous=dict(_m.positions), scale=scale)


@cache.cached("map drawings", 32, spinner="Drawing the map…")
def map_html(
    key: cache.Key,
    layout: str,
    view: ViewFilter,
    highlight: tuple[str, ...],
    ties: tuple[tuple[str, str], ...],
    today: date,
    stale_months: int,
    _m: Map,
) -> str:
    """The drawn page for one view, cached on everything that shapes it."""
    shown = apply_view(_m, view)
    where = positions_for(key, layout, _m)
    return render_html(
        shown,
        positions={s.id: where[s.id] for s in shown.stakeholders},
        highlight=highlight,
        highlight_ties=ties,
        physics=None if layout == "force" else False,
        today=today,
        stale_months=stale_months,
    )


def _view_controls(m: Map, labels: dict[str, str]) -> ViewFilter:
    """Filter and focus widgets, seeded from the URL; the URL follows every change."""
    try:
        start = from_query_params(st.query_params.to_dict())
    except MappingError as err:
        st.warning(f"The link's view settings were ignored: {md(err)}")
        start = ViewFilter()
    if start.focus not in labels:
        start = replace(start, focus=None)
    if (
        start == ViewFilter()
        and len(m.stakeholders) > WHOLE_MAP_LIMIT
        and "large-map-focused" not in st.session_state
    ):
        best = max(m.stakeholders, key=lambda s: (s.coalition, s.influence)).id
        start = replace(start, focus=best, steps=1)
        st.session_state["large-map-focused"] = True
        st.info(
            f"This map has {len(m.stakeholders):,} stakeholders: it opens focused on "
            f"{md(labels[best])}. Clear the focus to draw everyone."
        )
    with st.expander(
        "Filter and focus", icon=":material/filter_alt:", expanded=start != ViewFilter()
    ):
        a, b, c = st.columns(3)
        search = a.text_input("Search names and organisations", value=start.search)
        ids = list(labels)
        focus = b.selectbox(
            "Focus on",
            ids,
            index=ids.index(start.focus) if start.focus else None,
            format_func=labels.__getitem__,
            placeholder="Everyone",
        )
        # Always enabled: Streamlit greys a disabled slider's label below 4.5:1 contrast.
        steps = c.slider(
            "Steps around them",
            1,
            4,
            start.steps,
            help="How far out from the person in focus to draw; used once you choose someone.",
        )
        perspectives = a.multiselect(
            "Perspectives",
            m.perspectives,
            default=[p for p in start.perspectives if p in m.perspectives],
            placeholder="All perspectives",
        )
        stances = b.multiselect(
            "Stances",
            [s.value for s in Stance],
            default=list(start.stances),
            placeholder="All stances",
        )
        coalition = c.radio(
            "Coalition",
            COALITION_CHOICES,
            index=COALITION_CHOICES.index(start.coalition),
            horizontal=True,
        )
        types = a.multiselect(
            "Relationship types",
            m.relationship_types,
            default=[t for t in start.relationship_types if t in m.relationship_types],
            placeholder="All types",
        )
        strength = b.slider("Minimum strength", 1, 5, start.min_strength)
        hide = c.checkbox("Hide people with no tie on screen", value=start.hide_isolated)
    view = ViewFilter(
        perspectives=perspectives,
        stances=stances,
        coalition=coalition,
        relationship_types=types,
        min_strength=strength,
        focus=focus,
        steps=steps,
        search=search,
        hide_isolated=hide,
    )
    params = to_query_params(view)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    return view


def page(cur: state.Current) -> None:
    m = cur.map
    welcome(cur)
    st.header(md(m.name))
    if m.description:
        st.caption(md(m.description))
    if not m.stakeholders:
        st.info("This map is empty. Add stakeholders on the Stakeholders page to draw it.")
        return
    labels = stakeholder_labels(m)
    view = _view_controls(m, labels)
    layout = (
        st.segmented_control(
            "Layout",
            list(LAYOUTS),
            format_func=LAYOUTS.__getitem__,
            default="force",
            key=f"layout-{cur.id}",
        )
        or "force"
    )
    highlight = st.session_state.get("highlight")
    if highlight:
        note, clear = st.columns([5, 1])
        note.info(f"Highlighted: {md(highlight['title'])}")
        if clear.button("Clear highlight"):
            st.session_state.pop("highlight")
            st.rerun()
    people = tuple(highlight["stakeholders"]) if highlight else ()
    ties = tuple(tuple(t) for t in highlight["ties"]) if highlight else ()
    shown = apply_view(m, view)
    st.caption(
        f"Showing {len(shown.stakeholders)} of {len(m.stakeholders)} stakeholders and "
        f"{len(shown.relationships)} of {len(m.relationships)} relationships."
        + (
            " Physics settles the picture, then stops."
            if layout == "force" and len(shown.stakeholders) <= PHYSICS_LIMIT
            else ""
        )
    )
    _bridge(cur, layout)
    drawing, side = st.columns([3, 1])
    with drawing:
        if shown.stakeholders:
            stale = current_settings().stale_months
            html = map_html(cur.key, layout, view, people, ties, date.today(), stale, m)
            st.iframe(html, height=680)
        else:
            st.info("Nobody matches these filters. Loosen them in 'Filter and focus'.")
    with side:
        _details(cur, labels)
        with st.expander("Legend", expanded=True):
            for item in legend(m, stale_months=current_settings().stale_months):
                st.markdown(f"- **{md(item.label)}** — {md(item.description)}")
    _text_alternative(shown)
    _downloads(cur, shown, layout)


def _bridge(cur: state.Current, layout: str) -> None:
    key = f"bridge-{cur.id}"

    def moved() -> None:
        if layout != "force" or not cur.can_edit:
            return
        value = st.session_state[key].get("positions")
        placed = clean_positions(value, cur.map.names())
        if placed:
            positions = {**cur.map.positions, **placed}
            state.save(cur, replace(cur.map, positions=positions), "move people on the map")

    def selected() -> None:
        chosen = st.session_state[key].get("select") or []
        if chosen and chosen[0] in cur.map.names():
            st.session_state[f"details-{cur.id}"] = chosen[0]

    map_bridge(key, state.refusing(moved), selected)


def _details(cur: state.Current, labels: dict[str, str]) -> None:
    m = cur.map
    ids = list(labels)
    chosen = st.selectbox(
        "Details for",
        ids,
        index=None,
        format_func=labels.__getitem__,
        placeholder="Click someone on the map, or pick",
        key=f"details-{cur.id}",
    )
    if chosen is None:
        return
    s = m.stakeholder(chosen)
    st.markdown(
        f"**{md(s.name)}**  \n{md(s.role)}{', ' if s.role and s.organisation else ''}{md(s.organisation)}"
    )
    st.markdown(
        f"{md(s.perspective)} · {s.stance.value} · influence {s.influence} · interest {s.interest}"
        + (" · **in the coalition**" if s.coalition else "")
    )
    if s.notes:
        st.caption(md(s.notes))
    names = m.names()
    for r in m.relationships:
        if chosen in (r.source, r.target):
            other = r.target if r.source == chosen else r.source
            arrow = "→" if r.directed and r.source == chosen else ("←" if r.directed else "↔")
            st.markdown(f"- {arrow} {md(names[other])}: {md(r.type)}, strength {r.strength}")
    if st.button("Edit on the Stakeholders page", icon=":material/edit:"):
        from ui import nav

        st.switch_page(nav.page("stakeholders"))


def _text_alternative(shown: Map) -> None:
    ties = Counter(end for r in shown.relationships for end in {r.source, r.target})
    with st.expander("The map as a table (text alternative)", icon=":material/table:"):
        tables.table(
            [
                {
                    "Name": s.name,
                    "Organisation": s.organisation,
                    "Perspective": s.perspective,
                    "Stance": s.stance.value,
                    "Influence": s.influence,
                    "In coalition": s.coalition,
                    "Relationships shown": ties[s.id],
                }
                for s in shown.stakeholders
            ],
            "people-on-the-map",
        )


def _downloads(cur: state.Current, shown: Map, layout: str) -> None:
    with st.expander("Take the picture away", icon=":material/download:"):
        st.caption(
            "Use the Download PNG button on the map for a picture. The interactive page below "
            "opens offline from disk and carries only the fields you choose."
        )
        fields = st.multiselect(
            "Fields to include in tooltips",
            list(NODE_FIELDS),
            default=["organisation", "role", "perspective", "stance", "influence", "interest"],
            format_func=NODE_FIELDS.__getitem__,
        )
        where = positions_for(cur.key, layout, cur.map)

        def page_html() -> bytes:
            return render_html(
                shown,
                positions={s.id: where[s.id] for s in shown.stakeholders},
                physics=False,
                include_fields=fields,
                standalone=True,
                today=date.today(),
            ).encode("utf-8")

        slug = re.sub(r"[^A-Za-z0-9]+", "-", cur.map.name).strip("-").lower() or "map"
        st.download_button(
            "Interactive map (HTML, works offline)",
            page_html,
            file_name=f"{slug}-map.html",
            mime="text/html",
            icon=":material/download:",
            on_click="ignore",
        )


if __name__ == "__main__":
    from ui.nav import run

    run(page, "Map")
