"""Session state: the store, the current map as the user may see it, saving with undo."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from mapping.changes.conflicts import conflict_message, describe_conflict, merge_maps
from mapping.errors import ConflictError, NotFoundError
from mapping.model import Map
from mapping.storage import access, history
from mapping.storage.store import MapInfo, Store, default_url
from mapping.storage.writes import MapWrites
from ui import auth, boundary, cache, warm
from ui.text import md

UNDO_DEPTH = 20

#: The guard for widget callbacks that write (see :mod:`ui.boundary`).
refusing = boundary.refusing


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def store() -> Store:
    """The database shared by every session of this app process."""
    return _store(default_url())


def _load(url: str, map_id: int, stamp: tuple[int, str]) -> Map:
    """A stored map, kept on its version and last save time: a rerun
    without an edit reads nothing, and a map that reuses a deleted map's id is never
    mistaken for it."""
    return cache.stored(url, map_id, stamp, lambda: _store(url).load_map(map_id))


@dataclass(frozen=True)
class Current:
    """The map being worked on in this session, and the user's role on it."""

    id: int
    version: int
    map: Map
    role: str = access.OWNER
    #: The version and time of the last save (see ``Store.stamp``).
    stamp: tuple[int, str] | None = None
    #: The version and map this session's page last showed, if someone saved since: what
    #: the user's next action was based on.
    shown: tuple[int, Map] | None = None

    @property
    def key(self) -> cache.Key:
        """What every drawing, layout and report of this map in this state is kept under (its
        digest is worked out at the first call, once for the map: see ``cache.content_digest``)."""
        return cache.Key(default_url(), self.id, cache.content_digest(self.map))

    def can(self, action: str) -> bool:
        """Whether the user's role allows ``action`` ("view", "edit", "share", "delete", "erase")."""
        return access.can(self.role, action)

    @property
    def can_edit(self) -> bool:
        """Whether the user may change this map (owners and editors)."""
        return self.can("edit")


def writes(cur: Current) -> MapWrites:
    """The one way a page changes the current map: each write checks, when it is made, the
    signed-in user's role as the database holds it (never ``cur.role``)."""
    return MapWrites(store(), cur.id, auth.user())


def visible_maps() -> list[MapInfo]:
    """The maps the signed-in user may open (every map in single-user mode)."""
    return access.maps_visible_to(store(), auth.user())


#: The session key under which the sidebar hands this run's :class:`Current` to the page.
_THIS_RUN = "current-of-this-run"


def hand_over(cur: Current | None) -> None:
    """Keep ``cur`` for the page of this run (the sidebar read it a moment ago)."""
    st.session_state[_THIS_RUN] = (cur,)


def taken_over() -> Current | None:
    """The :class:`Current` the sidebar handed over in this run, else read afresh."""
    handed = st.session_state.pop(_THIS_RUN, None)
    return handed[0] if handed is not None else current()


@contextmanager
def one_run() -> Iterator[None]:
    """The whole of one run of the app (``app.py``), counted in ``cache.RUNS``: background
    work begins once no run is in progress, so the analysis of a map just saved does not
    slow down the page that shows the save."""
    cache.RUNS.started()
    try:
        yield
    finally:
        cache.RUNS.ended()


def current() -> Current | None:
    """The selected map, or ``None`` when there is none the user may open."""
    map_id = st.session_state.get("map_id")
    if map_id is None:
        return None
    role = access.role_of(store(), map_id, auth.user())
    if role is None:  # deleted, or never shared with this user
        st.session_state.pop("map_id", None)
        return None
    try:
        stamp = store().stamp(map_id)
    except NotFoundError:
        st.session_state.pop("map_id", None)
        return None
    seen = st.session_state.get("shown", {}).get(map_id)
    older = (seen[1], seen[2]) if seen is not None and seen[0] != stamp else None
    m = _load(default_url(), map_id, stamp)
    # ready before it is asked for, worked out once this run is over
    warm.gaps_ahead(store(), default_url(), map_id, stamp)
    return Current(map_id, stamp[0], m, role, stamp, older)


def show(cur: Current) -> None:
    """Remember the map the page has just shown: the base of the user's next change."""
    st.session_state.setdefault("shown", {})[cur.id] = (cur.stamp, cur.version, cur.map)


def _saved(map_id: int, version: int, m: Map) -> None:
    """Remember this session's own save, so its next change is not taken for a stale one;
    keep ``m`` as the map in its new stored state (the store gives back exactly the map
    saved), so that neither the rerun nor the analysis reads it again, unless someone saved
    again meanwhile; and start on the new
    version's analysis, in the background (:mod:`ui.warm`)."""
    stamp = store().stamp(map_id)
    if stamp[0] == version:  # no one has saved since (else the next read gets theirs)
        cache.stored(default_url(), map_id, stamp, lambda: m)
    st.session_state.setdefault("shown", {})[map_id] = (stamp, version, m)
    warm.gaps_ahead(store(), default_url(), map_id, stamp)


def _merge_and_save(
    cur: Current, seen: tuple[int, Map], new: Map, *, reason: str | None, name: str
) -> tuple[int, Map, Map]:
    """Save ``new`` on top of whatever was saved since the user saw ``seen``, if nothing
    clashes; returns the new version, the map saved and the map it replaced."""
    db = store()
    seen_version, seen_map = seen
    writer = writes(cur)
    with writer.checked():
        latest_version, latest = db.version(cur.id), db.load_map(cur.id)
        if describe_conflict(seen_map, new, latest):
            msg = conflict_message(latest.name, seen_version, latest_version, seen_map, new, latest)
            raise ConflictError(msg)
        merged = merge_maps(seen_map, new, latest)
        version = writer.save_map(
            merged, expected_version=latest_version, base=latest, reason=reason, name=name
        )
    return version, merged, latest


def select(map_id: int | None) -> None:
    """Make ``map_id`` the current map and forget highlights from the previous one.

    When signed in, a map nobody holds yet (one this session has just created) becomes the
    user's own; a map that belongs to others and was not shared with the user is not opened.
    """
    user = auth.user()
    if map_id is not None and user is not None and access.role_of(store(), map_id, user) is None:
        try:
            access.claim(store(), map_id, user)
        except (access.AccessDenied, NotFoundError):
            map_id = None
    st.session_state["map_id"] = map_id
    st.session_state.pop("highlight", None)


def save(
    cur: Current, new: Map, label: str, snapshot: str | None = None, *, merge: bool = True
) -> int:
    """Store ``new`` in place of ``cur``, refusing if someone saved in between; keep undo;
    return the map's new version.

    With ``snapshot`` (a reason of ``mapping.storage.history.REASONS``: "import", "bulk edit",
    "deletion", "restore") the map as it was is first kept as an automatic snapshot, in the
    same transaction (if the save fails, the snapshot is not kept); the day's first change of
    a map with no snapshot yet today keeps one too ("daily", by ``MapWrites.save_map``, in
    the same transaction). A conflict's message names
    what was changed on both sides, with both values.

    If someone else saved since the page showed the map, and none of their changes touches
    a field of the user's change, both are kept (``merge=False`` and restores refuse
    instead, as undo does). Refuses (``AccessDenied``) a user who may not change the map.
    """
    seen = cur.shown or (cur.version, cur.map)
    name = f"Before {label}"
    replaced = seen[1]
    try:
        version = writes(cur).save_map(
            new, expected_version=seen[0], base=seen[1], reason=snapshot, name=name
        )
    except ConflictError:
        cache.forget(default_url(), cur.id)
        if not merge or snapshot == history.RESTORE:  # a restore puts back a whole map
            raise
        version, new, replaced = _merge_and_save(cur, seen, new, reason=snapshot, name=name)
        label_note = ", keeping the changes someone else saved meanwhile"
    else:
        label_note = ""
    _saved(cur.id, version, new)
    stack = st.session_state.setdefault("undo", {}).setdefault(cur.id, [])
    stack.append((label, replaced))
    del stack[:-UNDO_DEPTH]
    st.session_state["flash"] = f"Saved: {label}{label_note}."
    return version


def undo_label(map_id: int) -> str | None:
    """What the undo button would take back, if anything."""
    stack = st.session_state.get("undo", {}).get(map_id, [])
    return stack[-1][0] if stack else None


def undo(cur: Current) -> None:
    """Put back the map as it was before the last saved change of this session."""
    stack = st.session_state.get("undo", {}).get(cur.id, [])
    if not stack:
        return
    label, previous = stack[-1]
    seen = cur.shown or (cur.version, cur.map)
    try:
        version = writes(cur).save_map(
            previous, expected_version=seen[0], base=seen[1], daily=False
        )
    except ConflictError:
        cache.forget(default_url(), cur.id)
        raise
    _saved(cur.id, version, previous)
    stack.pop()
    st.session_state["flash"] = f"Undone: {label}."


def forget(map_id: int) -> None:
    """Drop this session's undo steps and, for every session, each kept copy, drawing and
    report of the map (after an erasure, a deletion or a restore that reused its id)."""
    st.session_state.get("undo", {}).pop(map_id, None)
    st.session_state.get("shown", {}).pop(map_id, None)
    cache.forget(default_url(), map_id)


def flash() -> None:
    """Show (once) the message left by the last action, and a write a callback refused."""
    boundary.show_refused()
    message = st.session_state.pop("flash", None)
    if message:
        st.toast(md(message))  # messages quote user text: never Markdown
