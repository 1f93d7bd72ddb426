"""The sidebar: pick, create, rename, duplicate and delete maps; undo."""

from __future__ import annotations

import streamlit as st

from mapping.model import Map
from mapping.sample import load_sample
from ui import state


def map_picker() -> state.Current | None:
    """Show the map controls and return the current map (``None`` if there are no maps)."""
    db = state.store()
    maps = db.list_maps()
    ids = [info.id for info in maps]
    if st.session_state.get("map_id") not in ids:
        state.select(ids[0] if ids else None)
    with st.sidebar:
        st.markdown("### Your maps")
        if maps:
            names = {info.id: f"{info.name} ({info.stakeholders} people)" for info in maps}
            chosen = st.selectbox(
                "Current map",
                ids,
                index=ids.index(st.session_state["map_id"]),
                format_func=names.__getitem__,
                key=f"picker-{st.session_state['map_id']}",
            )
            if chosen != st.session_state["map_id"]:
                state.select(chosen)
                st.rerun()
        else:
            st.info("There are no maps yet. Create one below or load the sample map.")
            if st.button("Load the sample map", icon=":material/auto_awesome:"):
                state.select(db.create_map(load_sample()))
                st.rerun()
        cur = state.current()
        _create_form()
        if cur is not None:
            _manage(cur)
        _restore_deleted()
    return cur


def _create_form() -> None:
    with st.expander("New map", icon=":material/add:"):
        with st.form("new-map", clear_on_submit=True, border=False):
            name = st.text_input("Name of the new map", placeholder="e.g. Discharge programme")
            description = st.text_area("What is the change? (optional)", height=68)
            if st.form_submit_button("Create map", type="primary"):
                new_id = state.store().create_map(Map(name=name or "", description=description))
                state.select(new_id)
                st.session_state["flash"] = f"Created map {name.strip()!r}."
                st.rerun()


def _manage(cur: state.Current) -> None:
    label = state.undo_label(cur.id)
    if label and st.button(f"Undo: {label}", icon=":material/undo:", width="stretch"):
        state.undo(cur)
        st.rerun()
    with st.expander("Rename, duplicate or delete", icon=":material/settings:"):
        with st.form("rename-map", border=False):
            name = st.text_input("Map name", value=cur.map.name)
            if st.form_submit_button("Rename"):
                state.store().rename_map(cur.id, name)
                st.session_state["flash"] = f"Renamed to {name.strip()!r}."
                st.rerun()
        if st.button("Duplicate this map", icon=":material/content_copy:"):
            state.select(state.store().duplicate_map(cur.id))
            st.session_state["flash"] = f"Made a copy of {cur.map.name!r}."
            st.rerun()
        if st.button("Delete this map…", icon=":material/delete:"):
            st.session_state["confirm_delete"] = cur.id
        if st.session_state.get("confirm_delete") == cur.id:
            st.warning(
                f"Delete {cur.map.name!r} with its {len(cur.map.stakeholders)} stakeholders "
                f"and {len(cur.map.relationships)} relationships?"
            )
            yes, no = st.columns(2)
            if yes.button("Yes, delete", type="primary"):
                st.session_state["deleted_map"] = cur.map
                state.store().delete_map(cur.id)
                st.session_state.pop("confirm_delete", None)
                state.select(None)
                st.session_state["flash"] = f"Deleted {cur.map.name!r}."
                st.rerun()
            if no.button("Cancel"):
                st.session_state.pop("confirm_delete", None)
                st.rerun()


def _restore_deleted() -> None:
    deleted: Map | None = st.session_state.get("deleted_map")
    if deleted is not None and st.button(
        f"Restore deleted map {deleted.name!r}", icon=":material/restore_from_trash:"
    ):
        state.select(state.store().create_map(deleted))
        st.session_state.pop("deleted_map")
        st.session_state["flash"] = f"Restored {deleted.name!r}."
        st.rerun()
