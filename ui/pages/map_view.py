"""The map: filters and focus, layouts, details on selection, drag to place, export."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date

import streamlit as st

from mapping.changes.edit import add_relationship, stakeholder_labels
from mapping.changes.view import ViewFilter, apply_view, matching
from mapping.drawing.layout import place, rearrange
from mapping.drawing.render import NODE_FIELDS, PHYSICS_LIMIT, relayout, render_html
from mapping.model import Map, Stakeholder, Stance
from ui import assets, boundary, cache, map_screen, routes, sections, state, switch, tables
from ui.bridge import clean_positions, map_bridge
from ui.preferences import current_settings
from ui.runner import run
from ui.text import md
from ui.view_controls import WHOLE_MAP_LIMIT, focus_note, search_note, view_controls
from ui.welcome import welcome

LAYOUTS = {
    "force": "Network",
    "perspective": "By perspective",
    "grid": "Power / interest grid",
}


@cache.cached("map layouts", 32, spinner="Laying out the map…")
def positions_for(
    key: cache.Key, layout: str, _m: Map, high: int = 4
) -> dict[str, tuple[float, float]]:
    """Positions of everyone on the whole map (``_m``, in the state ``key``), kept per layout
    (``high``: the influence from which the grid counts a rating as high)."""
    return place(_m, layout, high_influence=high)


@cache.cached("view layouts", 32, spinner="Laying out the people drawn…")
def view_positions_for(
    key: cache.Key, layout: str, view: ViewFilter, _m: Map, high: int = 4
) -> dict[str, tuple[float, float]]:
    """Positions of the people ``view`` draws of a map too large to lay out whole: only
    they are laid out, around those of them with a saved position."""
    return place(apply_view(_m, view), layout, high_influence=high)


def lays_out_whole(m: Map, view: ViewFilter) -> bool:
    """Whether drawing ``view`` lays out the whole map (the whole view, or a map small
    enough that everyone keeps one place whatever is filtered) or only the people drawn."""
    return view.is_everything or len(m.stakeholders) <= WHOLE_MAP_LIMIT


def drawn_positions(
    key: cache.Key,
    layout: str,
    view: ViewFilter,
    m: Map,
    shown: Map | None = None,
    high: int = 4,
) -> dict[str, tuple[float, float]]:
    """Where the people ``view`` shows (``shown``, if already worked out) are drawn; a
    focused view of a large map lays out only them."""
    if lays_out_whole(m, view):
        where = positions_for(key, layout, m, high)
    else:
        where = view_positions_for(key, layout, replace(view, search=""), m, high)
    people = (shown or apply_view(m, view)).stakeholders
    return {s.id: where[s.id] for s in people}


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
    found: tuple[str, ...] = (),
    grid_high: tuple[int, int] = (4, 4),
    library: str | None = None,
) -> str:
    """The drawn page for one view, cached on everything that shapes it (``found``: the
    search's matches, which the page centres one at a time; ``library``: where the page
    loads vis-network from, see :mod:`ui.assets`)."""
    shown = apply_view(_m, view)
    return render_html(
        shown,
        positions=drawn_positions(key, layout, view, _m, shown, grid_high[0]),
        highlight=highlight,
        highlight_ties=ties,
        found=found,
        grid=layout == "grid",
        grid_high=grid_high,
        physics=None if layout == "force" else False,
        today=today,
        stale_months=stale_months,
        library=library,
    )


def page(cur: state.Current) -> None:
    m = cur.map
    welcome(cur)
    st.subheader(md(m.name))
    if not m.stakeholders:
        st.info("This map is empty. Add stakeholders on the Stakeholders page to draw it.")
        return
    labels = stakeholder_labels(m)
    # One row of controls, so that the map starts high on a laptop screen (issue 17).
    find, filters, choice = st.columns([2.4, 1.7, 4], vertical_alignment="bottom")
    view = view_controls(m, labels, cur.id, search_at=find, filters_at=filters)
    layout = switch.one_of(
        "Layout",
        list(LAYOUTS),
        key=f"layout-{cur.id}",
        format_func=LAYOUTS.__getitem__,
        where=choice,
        label_visibility="collapsed",
        help="Network: people close to those they are tied to (drag them to place "
        "them). By perspective: grouped by perspective. Power / interest grid: influence "
        "up, interest across, in the four quadrants.",
    )
    highlight = st.session_state.get("highlight")
    if highlight:
        note, clear = st.columns([5, 1])
        note.info(f"Highlighted: {md(highlight['title'])}")
        if clear.button("Clear highlight"):
            st.session_state.pop("highlight")
            st.rerun()
    found = matching(m, view.search)
    people = tuple(dict.fromkeys((*(highlight["stakeholders"] if highlight else ()), *found)))
    ties = tuple(tuple(t) for t in highlight["ties"]) if highlight else ()
    shown = apply_view(m, view)
    settling = layout == "force" and len(shown.stakeholders) <= PHYSICS_LIMIT
    settling = settling and any(s.id not in m.positions for s in shown.stakeholders)
    search_note(view, found, shown, labels)
    focus_note(m, view, shown, labels)
    html, change = None, None
    if shown.stakeholders:
        settings = current_settings()
        today, grid_high, library = (
            date.today(),
            (settings.high_influence, settings.high_interest),
            assets.library_url(),
        )
        stale = settings.stale_months
        # everything besides the map and its layout that shapes the drawing
        shape = (view, people, ties, today, stale, found, grid_high, library)

        def relaid() -> dict:
            where = drawn_positions(cur.key, layout, view, m, shown, grid_high[0])
            return relayout(
                shown,
                where,
                name=layout,
                grid=layout == "grid",
                grid_high=grid_high,
                highlight=people,
                highlight_ties=ties,
            )

        html, change = map_screen.drawing(
            cur.id,
            cur.version,
            cur.key,
            shape,
            layout,
            lambda: map_html(
                cur.key, layout, view, people, ties, today, stale, m, found, grid_high, library
            ),
            relaid,
        )
    _bridge(cur, layout, change)
    drawing, side = st.columns([3, 1])
    with drawing:
        if html is not None:
            st.iframe(html, height=680)
        else:
            st.info("Nobody matches these filters. Loosen them in 'Filter and focus'.")
        st.caption(
            f"Showing {len(shown.stakeholders)} of {len(m.stakeholders)} stakeholders and "
            f"{len(shown.relationships)} of {len(m.relationships)} relationships."
            + (" Physics settles the picture, then stops." if settling else "")
            + " The legend opens from Legend, above the map on the right."
        )
        if m.description:
            st.caption(md(m.description))
    if cur.can_edit:
        _tie_dialog(cur, labels)
    with side:
        if layout == "force" and cur.can_edit:
            st.button(
                "Re-arrange",
                icon=":material/shuffle:",
                on_click=state.refusing(_rearrange),
                args=(cur, view),
                help="Lay the people drawn out afresh and keep the new places; Undo puts "
                "them back. Dragging someone moves only them.",
            )
        _details_panel(cur, labels)
    _text_alternative(shown)
    high = current_settings().high_influence
    _downloads(cur, shown, drawn_positions(cur.key, layout, view, m, shown, high))


def _rearrange(cur: state.Current, view: ViewFilter) -> None:
    """Lay out afresh the people the view lays out, and save their new places (undoable).

    The seed comes from the map's content, so each press gives a new arrangement.
    """
    m = cur.map
    whole = lays_out_whole(m, view)
    fresh = rearrange(m if whole else apply_view(m, view), seed=int(cur.key.digest[:8], 16))
    positions = fresh if whole else {**m.positions, **fresh}
    state.save(cur, replace(m, positions=positions), "re-arrange the map")


def _bridge(cur: state.Current, layout: str, change: dict | None) -> None:
    key = f"bridge-{cur.id}"

    def moved() -> None:
        if layout != "force" or not cur.can_edit:
            return
        value = st.session_state[key].get("positions")
        placed = clean_positions(value, cur.map.names())
        if placed:
            # Everyone keeps the place they were drawn at: the people drawn as the page
            # sent them, the others (a small map) where the layout put them.
            m = cur.map
            kept = (
                positions_for(cur.key, layout, m) if len(m.stakeholders) <= WHOLE_MAP_LIMIT else {}
            )
            positions = {**kept, **m.positions, **placed}
            version = state.save(cur, replace(m, positions=positions), "move people on the map")
            if cur.shown is None and version == cur.version + 1:  # no one else's change in it
                map_screen.dragged(cur.id, version)  # the frame shows it already: keep it

    def selected() -> None:
        names = cur.map.names()
        chosen = [c for c in st.session_state[key].get("select") or [] if c in names]
        if chosen:
            st.session_state[f"details-{cur.id}"] = chosen[0]
        if len(chosen) >= 2 and cur.can_edit:
            # two people chosen on the map (Ctrl- or long-press): offer to tie them
            st.session_state[f"pair-{cur.id}"] = (chosen[0], chosen[1])

    map_bridge(key, state.refusing(moved), selected, change)


@st.fragment
def _details_panel(cur: state.Current, labels: dict[str, str]) -> None:
    """The chosen person's details beside the map: picking someone here reruns this panel
    alone, not the map (a save from it reruns the whole page, as every save does)."""
    with boundary.shown():  # a fragment reruns outside the page's own boundary
        _details(cur, labels)


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
    if cur.can_edit:
        _edit_person(cur, s)
        partner = st.selectbox(
            "Add a relationship with",
            [i for i in ids if i != chosen],
            index=None,
            format_func=labels.__getitem__,
            placeholder="Pick someone, or Ctrl-click them on the map",
            key=f"tie-with-{cur.id}-{chosen}",
        )
        if partner is not None and st.button("Add a relationship…", icon=":material/add_link:"):
            st.session_state[f"pair-{cur.id}"] = (chosen, partner)
            st.rerun()
    if st.button("Edit on the Stakeholders page", icon=":material/edit:"):
        st.switch_page(routes.page("stakeholders"))


def _edit_person(cur: state.Current, s: Stakeholder) -> None:
    """The selected person's stance, influence and coalition membership, saved as one
    undoable change."""
    tag = f"{cur.id}-{s.id}-{cur.version}"
    with st.form(f"edit-person-{tag}", border=True):
        stances = [x.value for x in Stance]
        stance = st.selectbox("Stance", stances, index=stances.index(s.stance.value))
        influence = st.slider("Influence (1 to 5)", 1, 5, s.influence)
        coalition = st.checkbox("In the coalition", value=s.coalition)
        if st.form_submit_button("Save changes", type="primary"):
            changed = replace(
                s, stance=Stance(stance), influence=int(influence), coalition=bool(coalition)
            )
            if changed != s:
                m = cur.map
                people = tuple(changed if p.id == s.id else p for p in m.stakeholders)
                state.save(cur, replace(m, stakeholders=people), f"edit {s.name} on the map")
                st.rerun()


def _tie_dialog(cur: state.Current, labels: dict[str, str]) -> None:
    """The small dialog that ties two people chosen on the map (type and strength)."""
    pair_key = f"pair-{cur.id}"
    pair = st.session_state.get(pair_key)
    if not pair or any(p not in labels for p in pair):
        st.session_state.pop(pair_key, None)
        return
    source, target = pair

    def dismissed() -> None:
        st.session_state.pop(pair_key, None)

    @st.dialog("Add a relationship", on_dismiss=dismissed)
    def dialog() -> None:
        m = cur.map
        st.markdown(f"Between **{md(labels[source])}** and **{md(labels[target])}**")
        kind = st.selectbox("Type", m.relationship_types, key=f"tie-type-{cur.id}")
        strength = st.slider(
            "Strength / trust (1 = weak, 5 = strong)", 1, 5, 3, key=f"tie-strength-{cur.id}"
        )
        directed = st.checkbox(
            f"One-way ({md(labels[source])} → {md(labels[target])})",
            key=f"tie-directed-{cur.id}",
            help="Leave unticked for a mutual relationship.",
        )
        save, cancel = st.columns(2)
        if save.button("Add relationship", type="primary", key=f"tie-add-{cur.id}"):
            with boundary.shown():
                new = add_relationship(
                    m,
                    source=source,
                    target=target,
                    type=kind,
                    strength=strength,
                    directed=directed,
                    last_confirmed=date.today(),
                )
                state.save(cur, new, f"add relationship {labels[source]} – {labels[target]}")
                st.session_state.pop(pair_key, None)
                st.session_state["flash"] = (
                    f"Added a relationship between {labels[source]} and {labels[target]}."
                )
                st.rerun()
        if cancel.button("Cancel", key=f"tie-cancel-{cur.id}"):
            st.session_state.pop(pair_key, None)
            st.rerun()

    dialog()


def _text_alternative(shown: Map) -> None:
    ties = Counter(end for r in shown.relationships for end in {r.source, r.target})
    # sent only while open (like the downloads below): a revisit of the map stays light
    with sections.opened(
        "The map as a table (text alternative)", "map-as-table", icon=":material/table:"
    ) as shown_table:
        if not shown_table:
            return
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


def _downloads(cur: state.Current, shown: Map, where: dict[str, tuple[float, float]]) -> None:
    with sections.opened(
        "Take the picture away", "map-take-away", icon=":material/download:"
    ) as take_away:
        if not take_away:
            return
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

        def page_html() -> bytes:
            return render_html(
                shown,
                positions=where,
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
    run(page, "Map")
