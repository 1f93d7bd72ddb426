"""The sidebar: pick, create, rename, duplicate, share and delete maps; undo."""

from __future__ import annotations

import streamlit as st

from mapping.demo.sample import load_sample
from mapping.errors import MappingError
from mapping.model import Map
from mapping.model.wording import local_minute
from mapping.storage import access
from ui import auth, cache, pick, sections, state
from ui.boundary import shown
from ui.text import md, message


def map_picker() -> state.Current | None:
    """Show the map controls and return the current map (``None`` if there are no maps)."""
    db = state.store()
    maps = state.visible_maps()
    ids = [info.id for info in maps]
    if st.session_state.get("map_id") not in ids:
        state.select(ids[0] if ids else None)
    with st.sidebar:
        st.markdown("### Your maps")
        if maps:
            # the browser sends back the chosen label: each map's must be its own
            names = pick.map_labels(maps)
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
            st.caption(md(names[chosen]))  # the whole name: the box cuts a long one short
        else:
            st.info("There are no maps yet. Create one below or load the sample map.")
            if st.button(
                "Load the sample map", icon=":material/auto_awesome:", key=pick.once_key("sample")
            ):
                pick.spend("sample")
                state.select(access.create_map(db, load_sample(), auth.user()))
                st.rerun()
        cur = state.current()
        if cur is not None and not cur.can_edit:
            st.info(
                "You can look at this map and export it, but not change it: its owner "
                "shared it with you as a viewer.",
                icon=":material/visibility:",
            )
        with shown():  # the sidebar runs outside any page's error boundary
            _create_form()
        if cur is not None:
            with shown():
                _manage(cur)
            if cur.can("share") and auth.user() is not None:
                with shown():
                    _share(cur)
        with shown():
            _restore_deleted()
    state.hand_over(cur)  # the page of this run starts from the same read
    return cur


def _create_form() -> None:
    # sent only while open, like the rename form below: drawn shut on every run of every
    # page, they cost the browser more than the section's one extra run when opened
    with sections.opened("New map", "new-map-open", icon=":material/add:") as opened:
        if not opened:
            return
        with st.form(pick.once_key("new-map"), clear_on_submit=True, border=False):
            name = st.text_input("Name of the new map", placeholder="e.g. Discharge programme")
            description = st.text_area("What is the change? (optional)", height=68)
            if st.form_submit_button("Create map", type="primary"):
                pick.spend("new-map")  # a second click of this form creates nothing
                new_map = Map(name=name or "", description=description)
                new_id = access.create_map(state.store(), new_map, auth.user())
                state.select(new_id)
                made = state.store().load_map(new_id).name
                st.session_state["flash"] = f"Created map {made!r}."
                st.rerun()


def _manage(cur: state.Current) -> None:
    if not cur.can_edit:
        return
    label = state.undo_label(cur.id)
    if label and st.button(f"Undo: {md(label)}", icon=":material/undo:", width="stretch"):
        with shown():  # a colleague may have saved since: their change stays, and we say so
            state.undo(cur)
            st.rerun()
    title = "Rename, duplicate or delete" if cur.can("delete") else "Rename or duplicate"
    with sections.opened(title, "manage-map-open", icon=":material/settings:") as opened:
        if not opened:
            return
        with st.form("rename-map", border=False):
            name = st.text_input("Map name", value=cur.map.name)
            if st.form_submit_button("Rename"):
                state.writes(cur).rename(name)
                st.session_state["flash"] = f"Renamed to {name.strip()!r}."
                st.rerun()
        if st.button(
            "Duplicate this map", icon=":material/content_copy:", key=pick.once_key("duplicate")
        ):
            pick.spend("duplicate")
            copy = state.writes(cur).duplicate()
            state.select(copy)
            made = state.store().load_map(copy).name
            st.session_state["flash"] = f"Made a copy of {cur.map.name!r}: {made!r}."
            st.rerun()
        if not cur.can("delete"):
            return
        if st.button("Delete this map…", icon=":material/delete:"):
            st.session_state["confirm_delete"] = cur.id
        if st.session_state.get("confirm_delete") == cur.id:
            st.warning(
                f"Delete {md(cur.map.name)} with its {len(cur.map.stakeholders)} stakeholders "
                f"and {len(cur.map.relationships)} relationships?"
            )
            yes, no = st.columns(2)
            if yes.button("Yes, delete", type="primary"):
                state.writes(cur).delete()
                state.forget(cur.id)  # no drawing or report of it for a map that reuses its id
                st.session_state.pop("confirm_delete", None)
                state.select(None)
                st.session_state["flash"] = f"Deleted {cur.map.name!r}."
                st.rerun()
            if no.button("Cancel"):
                st.session_state.pop("confirm_delete", None)
                st.rerun()


def _share(cur: state.Current) -> None:
    """Share this map: the owner names colleagues as viewers or editors, or takes access away."""
    people = access.members(state.store(), cur.id)
    with st.expander(f"Share this map ({len(people)})", icon=":material/group_add:"):
        for person in people:
            left, right = st.columns([3, 2])
            left.caption(f"{md(person.email)} · {person.role}")
            if person.role != access.OWNER and right.button(
                "Remove", key=f"unshare-{cur.id}-{person.email}"
            ):
                state.writes(cur).unshare(person.email)
                st.session_state["flash"] = f"{person.email} no longer has access."
                st.rerun()
        with st.form("share-map", clear_on_submit=True, border=False):
            email = st.text_input("Colleague's email", placeholder="name@organisation.nhs.uk")
            role = st.radio(
                "They can",
                access.SHARE_ROLES,
                format_func={"viewer": "view", "editor": "view and edit"}.__getitem__,
                horizontal=True,
            )
            if st.form_submit_button("Share"):
                try:
                    state.writes(cur).share(email, role)
                except MappingError as err:
                    st.error(message(err))
                else:
                    st.session_state["flash"] = f"Shared with {email.strip()} as {role}."
                    st.rerun()


def _restore_deleted() -> None:
    """Deleted maps keep a last snapshot and their history until forgotten for good."""
    gone = access.deleted_maps_visible_to(state.store(), auth.user())
    if not gone:
        return
    with st.expander(f"Deleted maps ({len(gone)})", icon=":material/restore_from_trash:"):
        for snap in gone[:10]:
            when = local_minute(snap.taken_at)
            st.caption(f"{md(snap.map_name)}: {snap.stakeholders} people, deleted {when}")
            if st.button(f"Restore deleted map {md(snap.map_name)}", key=f"undelete-{snap.id}"):
                restored = access.restore_deleted_map(state.store(), snap.id, auth.user())
                state.forget(restored)
                state.select(restored)
                st.session_state["flash"] = f"Restored {snap.map_name!r} with its history."
                st.rerun()
            if st.session_state.get("confirm_purge") != snap.id:
                if st.button("Forget it for good…", key=f"purge-{snap.id}"):
                    st.session_state["confirm_purge"] = snap.id
                    st.rerun()
            elif st.button("Yes, forget it and its history", key=f"purge-yes-{snap.id}"):
                access.purge_deleted_map(state.store(), snap.id, auth.user())
                cache.forget(state.store().url, digests=(snap.digest,))
                st.session_state.pop("confirm_purge", None)
                st.session_state["flash"] = f"Forgot {snap.map_name!r} and its history."
                st.rerun()
