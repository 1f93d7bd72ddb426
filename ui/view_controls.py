"""The map page's search box and its filter and focus widgets, which keep what the user
chose from one rerun to the next while the page's URL follows every change."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from mapping.changes.view import (
    COALITION_CHOICES,
    ViewFilter,
    from_query_params,
    hidden_near_focus,
    to_query_params,
)
from mapping.errors import MappingError
from mapping.model import Map, Stance
from ui.text import md

__all__ = ["WHOLE_MAP_LIMIT", "focus_note", "search_note", "view_controls"]

#: Above this many stakeholders the page opens on a focused view, not the whole hairball.
WHOLE_MAP_LIMIT = 2000


def _from_link(m: Map, labels: dict[str, str], params: dict[str, str]) -> ViewFilter:
    """The view a link asks for, without what is not on this map."""
    try:
        start = from_query_params(params)
    except MappingError as err:
        st.warning(f"The link's view settings were ignored: {md(err)}")
        start = ViewFilter()
    return replace(
        start,
        focus=start.focus if start.focus in labels else None,
        perspectives=tuple(p for p in start.perspectives if p in m.perspectives),
        relationship_types=tuple(t for t in start.relationship_types if t in m.relationship_types),
    )


def _seed(prefix: str, start: ViewFilter) -> None:
    """Put ``start`` into the view's widgets, and open the filters if it filters anything."""
    values = {
        "q": start.search,
        "focus": start.focus,
        "steps": min(max(start.steps, 1), 4),
        "perspectives": list(start.perspectives),
        "stances": list(start.stances),
        "coalition": start.coalition,
        "types": list(start.relationship_types),
        "strength": start.min_strength,
        "hide": start.hide_isolated,
    }
    for name, value in values.items():
        st.session_state[f"{prefix}-{name}"] = value
    st.session_state[f"{prefix}-open"] = not start.is_everything


def _drop_unknown(prefix: str, m: Map, labels: dict[str, str]) -> None:
    """Forget choices that are no longer on the map (a person deleted, a perspective renamed)."""
    focus = f"{prefix}-focus"
    if st.session_state.get(focus) is not None and st.session_state[focus] not in labels:
        st.session_state[focus] = None
    for name, known in (("perspectives", m.perspectives), ("types", m.relationship_types)):
        chosen = st.session_state.get(f"{prefix}-{name}", [])
        if any(c not in known for c in chosen):
            st.session_state[f"{prefix}-{name}"] = [c for c in chosen if c in known]


def view_controls(
    m: Map,
    labels: dict[str, str],
    map_id: int,
    search_at: Any = st,
    filters_at: Any = st,
) -> ViewFilter:
    """The search box (in ``search_at``) and the filter and focus widgets (in a popover in
    ``filters_at``, so that they take one row); the URL follows every change.

    The widgets keep what the user chose from one rerun to the next: they are set from the
    URL only when the URL is not the one this page last wrote (a link or bookmark opened,
    or the first visit), never on every rerun, so what is typed is never replaced.
    """
    prefix = f"view-{map_id}"
    written = f"{prefix}-url"
    params = st.query_params.to_dict()
    keys = [f"{prefix}-{name}" for name in ("q", "focus", "steps", "open")]
    if st.session_state.get(written) != params or any(k not in st.session_state for k in keys):
        start = _from_link(m, labels, params)
        if (
            start.is_everything
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
        _seed(prefix, start)
    _drop_unknown(prefix, m, labels)
    search = search_at.text_input(
        "Search names and organisations",
        key=f"{prefix}-q",
        placeholder="Find people: highlighted and centred",
        label_visibility="collapsed",
        help="The people whose name or organisation contains the text are highlighted on "
        "the map, centred one at a time (Next and Previous on the map step through them) "
        "and listed below it. Everyone stays drawn.",
    )
    filtering = st.session_state[f"{prefix}-open"]
    with filters_at.popover(
        "Filter and focus" + (" (on)" if filtering else ""),
        icon=":material/filter_alt:",
        help="Draw only some people: by perspective, stance, coalition or relationship, "
        "or the people around one person.",
        use_container_width=True,
    ):
        a, b, c = st.columns(3)
        ids = list(labels)
        focus = a.selectbox(
            "Focus on",
            ids,
            index=None,
            format_func=labels.__getitem__,
            placeholder="Everyone",
            key=f"{prefix}-focus",
        )
        # Always enabled: Streamlit greys a disabled slider's label below 4.5:1 contrast.
        steps = b.slider(
            "Steps around them",
            1,
            4,
            key=f"{prefix}-steps",
            help="How far out from the person in focus to draw; used once you choose someone.",
        )
        hide = c.checkbox("Hide people with no tie on screen", key=f"{prefix}-hide")
        perspectives = a.multiselect(
            "Perspectives",
            m.perspectives,
            placeholder="All perspectives",
            key=f"{prefix}-perspectives",
        )
        stances = b.multiselect(
            "Stances",
            [s.value for s in Stance],
            placeholder="All stances",
            key=f"{prefix}-stances",
        )
        coalition = c.radio(
            "Coalition", COALITION_CHOICES, horizontal=True, key=f"{prefix}-coalition"
        )
        types = a.multiselect(
            "Relationship types",
            m.relationship_types,
            placeholder="All types",
            key=f"{prefix}-types",
        )
        strength = b.slider("Minimum strength", 1, 5, key=f"{prefix}-strength")
    view = ViewFilter(
        perspectives=tuple(perspectives),
        stances=tuple(stances),
        coalition=coalition,
        relationship_types=tuple(types),
        min_strength=strength,
        focus=focus,
        steps=steps,
        search=search or "",
        hide_isolated=hide,
    )
    wanted = to_query_params(view)
    if params != wanted:
        st.query_params.from_dict(wanted)
    st.session_state[written] = wanted
    st.session_state[f"{prefix}-open"] = not replace(view, search="").is_everything
    return view


def search_note(view: ViewFilter, found: tuple[str, ...], shown: Map, labels: dict) -> None:
    """Who the search found: they are highlighted, and named here (not by colour alone)."""
    if not view.search:
        return
    text = md(view.search)
    if not found:
        st.caption(f"Search “{text}”: no name or organisation contains it.")
        return
    drawn = {s.id for s in shown.stakeholders}
    away = sum(1 for sid in found if sid not in drawn)
    names = ", ".join(md(labels[sid]) for sid in found[:12])
    more = f" and {len(found) - 12} more" if len(found) > 12 else ""
    outside = f" ({away} of them outside this view)" if away else ""
    st.caption(
        f"Search “{text}”: {len(found)} found, highlighted on the map{outside}: {names}{more}."
    )


def focus_note(m: Map, view: ViewFilter, shown: Map, labels: dict) -> None:
    """Whether everyone near the person in focus is drawn, and which filter hides whom."""
    if view.focus is None:
        return
    hidden = hidden_near_focus(m, view)
    near = len(shown.stakeholders) - 1 + sum(len(ids) for ids in hidden.values())
    steps = f"{view.steps} step{'' if view.steps == 1 else 's'}"
    who = md(labels[view.focus])
    if not hidden:
        st.caption(f"Focus on {who}: all {near} people within {steps} are drawn.")
        return
    reasons = "; ".join(
        f"{len(ids)} by “{name}” ({', '.join(md(labels[i]) for i in ids[:5])}"
        + (", …)" if len(ids) > 5 else ")")
        for name, ids in hidden.items()
    )
    st.info(
        f"Focus on {who}: {len(shown.stakeholders) - 1} of the {near} people within {steps} "
        f"are drawn. Hidden {reasons}. Loosen those filters under 'Filter and focus' to "
        "draw them."
    )
