"""The sidebar: pick, create, rename, duplicate and delete maps; undo."""

from __future__ import annotations

import streamlit as st

from mapping import history
from mapping.model import Map
from mapping.sample import load_sample
from ui import state
from ui.text import md


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
                history.delete_map_keeping_history(state.store(), cur.id)
                st.session_state.pop("confirm_delete", None)
                state.select(None)
                st.session_state["flash"] = f"Deleted {cur.map.name!r}."
                st.rerun()
            if no.button("Cancel"):
                st.session_state.pop("confirm_delete", None)
                st.rerun()


def _restore_deleted() -> None:
    """Deleted maps keep a last snapshot and their history until forgotten for good."""
    gone = history.deleted_maps(state.store())
    if not gone:
        return
    with st.expander(f"Deleted maps ({len(gone)})", icon=":material/restore_from_trash:"):
        for snap in gone[:10]:
            when = f"{snap.taken_at.astimezone():%Y-%m-%d %H:%M}"
            st.caption(f"{md(snap.map_name)}: {snap.stakeholders} people, deleted {when}")
            if st.button(f"Restore deleted map {snap.map_name!r}", key=f"undelete-{snap.id}"):
                state.select(history.restore_deleted_map(state.store(), snap.id))
                st.session_state["flash"] = f"Restored {snap.map_name!r} with its history."
                st.rerun()
            if st.session_state.get("confirm_purge") != snap.id:
                if st.button("Forget it for good…", key=f"purge-{snap.id}"):
                    st.session_state["confirm_purge"] = snap.id
                    st.rerun()
            elif st.button("Yes, forget it and its history", key=f"purge-yes-{snap.id}"):
                history.purge_deleted_map(state.store(), snap.id)
                st.session_state.pop("confirm_purge", None)
                st.session_state["flash"] = f"Forgot {snap.map_name!r} and its history."
                st.rerun()
