"""Session state: the store, the current map, saving with undo."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from mapping import history
from mapping.errors import ConflictError, NotFoundError
from mapping.model import Map
from mapping.store import Store, default_url

UNDO_DEPTH = 20


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def store() -> Store:
    """The database shared by every session of this app process."""
    return _store(default_url())


@st.cache_data(show_spinner=False, max_entries=64)
def _load(url: str, map_id: int, version: int) -> Map:
    """A stored map, cached on its version: a rerun without an edit reads nothing."""
    del version  # part of the cache key only
    return _store(url).load_map(map_id)


@dataclass(frozen=True)
class Current:
    """The map being worked on in this session."""

    id: int
    version: int
    map: Map


def current() -> Current | None:
    """The selected map, or ``None`` when there is no map at all."""
    map_id = st.session_state.get("map_id")
    if map_id is None:
        return None
    try:
        version = store().version(map_id)
    except NotFoundError:
        st.session_state.pop("map_id", None)
        return None
    return Current(map_id, version, _load(default_url(), map_id, version))


def select(map_id: int | None) -> None:
    """Make ``map_id`` the current map and forget highlights from the previous one."""
    st.session_state["map_id"] = map_id
    st.session_state.pop("highlight", None)


def save(cur: Current, new: Map, label: str, snapshot: str | None = None) -> None:
    """Store ``new`` in place of ``cur``, refusing if someone saved in between; keep undo.

    With ``snapshot`` (a reason of ``mapping.history.REASONS``: "import", "bulk edit",
    "deletion", "restore") the map as it was is first kept as an automatic snapshot.
    """
    if snapshot is not None:
        history.take_snapshot(store(), cur.id, f"Before {label}", reason=snapshot, m=cur.map)
    try:
        store().save_map(cur.id, new, expected_version=cur.version)
    except ConflictError:
        _load.clear()
        raise
    stack = st.session_state.setdefault("undo", {}).setdefault(cur.id, [])
    stack.append((label, cur.map))
    del stack[:-UNDO_DEPTH]
    st.session_state["flash"] = f"Saved: {label}."


def undo_label(map_id: int) -> str | None:
    """What the undo button would take back, if anything."""
    stack = st.session_state.get("undo", {}).get(map_id, [])
    return stack[-1][0] if stack else None


def undo(cur: Current) -> None:
    """Put back the map as it was before the last saved change of this session."""
    stack = st.session_state.get("undo", {}).get(cur.id, [])
    if not stack:
        return
    label, previous = stack.pop()
    store().save_map(cur.id, previous, expected_version=cur.version)
    st.session_state["flash"] = f"Undone: {label}."


def flash() -> None:
    """Show (once) the message left by the last action."""
    message = st.session_state.pop("flash", None)
    if message:
        st.toast(message)
