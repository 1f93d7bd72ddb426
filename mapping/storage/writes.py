"""The one way the app changes a map: every write checks access at the moment it is made.

A :class:`MapWrites` is made from the store, the map and the user (``None`` in single-user
mode). Each of its methods opens one transaction, reads the user's role on the map from the
database inside it (:func:`mapping.storage.access.require`, locking the access row), and only then
writes: the map itself, its positions, its name, snapshots, notes, raters' views, its
settings, an erasure. A role the page remembered from earlier counts for nothing, so an
editor whose access was taken away while their page was open is refused
(``AccessDenied``) and nothing is written.

Snapshots and notes are named by id: one that belongs to another map is refused as not
found, so a writer for one map can never reach into another.

Each write adds a line to the activity log (:mod:`mapping.storage.activity`) in its own
transaction: who, when, and what changed as counts and kinds, never a name. The day's first
save of a map keeps the map as it was as a "daily" snapshot, so "what changed" works without
anyone remembering to take one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from mapping.changes.ratings import Rating
from mapping.errors import NotFoundError, ValidationError
from mapping.model import Map
from mapping.model.actions import PlannedAction
from mapping.model.settings import Settings
from mapping.model.wording import count_of
from mapping.storage import access, activity, erasure, history, rating_store, reflections
from mapping.storage import actions as plan_store
from mapping.storage.schema import check_storable
from mapping.storage.settings import store_map_settings
from mapping.storage.store import Store

__all__ = ["MapWrites"]

EDIT = "edit"


def start_of_today() -> datetime:
    """Midnight of today where the server runs, as an aware datetime: a "daily" snapshot
    taken since then is the day's."""
    return datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class MapWrites:
    """Every change to one map, as one user, each checked when it is made.

    >>> from mapping.model import Map
    >>> store = Store("sqlite://")
    >>> map_id = access.create_map(store, Map(name="Discharge"), "alice@example.org")
    >>> access.share(store, map_id, "alice@example.org", "bob@example.org", "viewer")
    >>> MapWrites(store, map_id, "alice@example.org").take_snapshot("Before the board")
    1
    >>> MapWrites(store, map_id, "bob@example.org").take_snapshot("Mine")
    Traceback (most recent call last):
    ...
    mapping.storage.access.AccessDenied: You can view this map but not change it; ask its owner to make you an editor.
    >>> [s.name for s in history.list_snapshots(store, map_id)]
    ['Before the board']
    """

    store: Store
    map_id: int
    user: str | None

    @contextmanager
    def checked(self, action: str = EDIT) -> Iterator[Connection]:
        """One transaction in which the user's role, read now, allows ``action``."""
        with self.store.transaction() as conn:
            access.require(self.store, self.map_id, self.user, action, lock=True)
            yield conn

    # the map itself

    def _log(self, conn: Connection, summary: str, action: str = activity.EDIT) -> None:
        activity.record_in(conn, self.user, action, self.map_id, summary)

    def save_map(
        self,
        m: Map,
        *,
        expected_version: int | None = None,
        base: Map | None = None,
        reason: str | None = None,
        name: str = "",
        daily: bool = True,
    ) -> int:
        """Save ``m`` over the map (first keeping ``base`` as a snapshot if ``reason``);
        return the new version (see :func:`mapping.storage.history.save_with_snapshot`).

        With no ``reason``, the day's first save (no snapshot of the map taken since
        midnight) keeps one anyway, as ``"daily"`` (``daily=False``: not). The activity log
        gets a line counting what changed.

        >>> from mapping.model import Stakeholder
        >>> store = Store("sqlite://")
        >>> map_id = access.create_map(store, Map(name="Discharge"), None)
        >>> w = MapWrites(store, map_id, None)
        >>> w.save_map(Map(name="Discharge", stakeholders=(Stakeholder("a", "Ann"),)), name="Before")
        2
        >>> [(s.reason, s.stakeholders) for s in history.list_snapshots(store, map_id)]
        [('daily', 0)]
        >>> activity.audit_log(store, map_id)[0].summary
        'added 1 stakeholder'
        """
        with self.checked() as conn:
            # the map as stored, for the log: ``base`` is it whenever the save goes through
            # at ``expected_version`` (a 300-person map is not read back for a count)
            if base is None or expected_version is None:
                old = self.store.load_map(self.map_id)
            else:
                old = base
            if (
                reason is None
                and daily
                and not history.taken_since(self.store, self.map_id, start_of_today())
            ):
                reason = history.DAILY  # "what changed" works without remembering one
            version = history.save_with_snapshot(
                self.store,
                self.map_id,
                m,
                expected_version=expected_version,
                base=base,
                reason=reason,
                name=name,
            )
            self._log(conn, activity.change_summary(activity.change_counts(old, m)))
            return version

    def save_positions(
        self, placed: dict[str, tuple[float, float]], *, expected_version: int | None = None
    ) -> int:
        """Keep where people were dragged to on the map; return the new version."""
        with self.checked() as conn:
            m = self.store.load_map(self.map_id)
            moved = replace(m, positions={**m.positions, **placed})
            version = self.store.save_map(self.map_id, moved, expected_version=expected_version)
            self._log(conn, activity.change_summary(activity.change_counts(m, moved)))
            return version

    def rename(self, name: str) -> None:
        """Give the map a new name."""
        with self.checked() as conn:
            self.store.rename_map(self.map_id, name)
            self._log(conn, "renamed the map")

    def duplicate(self) -> int:
        """Copy the map (with its settings) as the user's own; return the copy's id."""
        return access.duplicate_map(self.store, self.map_id, self.user)

    def share(self, email: str, role: str) -> None:
        """Let a colleague view or edit the map (owners only)."""
        access.share(self.store, self.map_id, self.user, email, role)

    def unshare(self, email: str) -> None:
        """Take a colleague's access away (owners only)."""
        access.unshare(self.store, self.map_id, self.user, email)

    def delete(self) -> int:
        """Delete the map, keeping its history (owners only); return the snapshot id."""
        return access.delete_map(self.store, self.map_id, self.user)

    def erase(self, stakeholder_id: str, *, expected_version: int | None = None) -> erasure.Erasure:
        """Erase one person from the map and all its history (owners only)."""
        with self.checked("erase"):
            return erasure.erase_stakeholder(
                self.store,
                self.map_id,
                stakeholder_id,
                actor=self.user,
                expected_version=expected_version,
            )

    # snapshots

    def _own_snapshot(self, snapshot_id: int) -> history.Snapshot:
        snap = history.get_snapshot(self.store, snapshot_id)
        if snap.map_id != self.map_id:
            msg = f"There is no snapshot with id {snapshot_id} on this map."
            raise NotFoundError(msg)
        return snap

    def take_snapshot(self, name: str = "", *, reason: str = history.MANUAL) -> int:
        """Keep the map as it is now; return the snapshot's id."""
        with self.checked() as conn:
            sid = history.take_snapshot(self.store, self.map_id, name, reason=reason)
            self._log(conn, "took a snapshot", "snapshot")
            return sid

    def rename_snapshot(self, snapshot_id: int, name: str) -> None:
        """Give one of the map's snapshots a new name."""
        with self.checked() as conn:
            self._own_snapshot(snapshot_id)
            history.rename_snapshot(self.store, snapshot_id, name)
            self._log(conn, "renamed a snapshot", "snapshot")

    def delete_snapshot(self, snapshot_id: int) -> None:
        """Forget one of the map's snapshots (notes about it stay, on the map)."""
        with self.checked() as conn:
            self._own_snapshot(snapshot_id)
            history.delete_snapshot(self.store, snapshot_id)
            self._log(conn, "deleted a snapshot", "snapshot")

    def restore_snapshot(self, snapshot_id: int, *, expected_version: int | None = None) -> int:
        """Put the map back as it was in one of its snapshots; return the new version."""
        with self.checked() as conn:
            self._own_snapshot(snapshot_id)
            old = self.store.load_map(self.map_id)
            version = history.restore_snapshot(
                self.store, self.map_id, snapshot_id, expected_version=expected_version
            )
            counts = activity.change_counts(old, self.store.load_map(self.map_id))
            self._log(conn, f"restored a snapshot: {activity.change_summary(counts)}", "restore")
            return version

    # notes

    def _own_note(self, conn: Connection, note_id: int) -> None:
        t = history.reflections_table
        found = conn.execute(select(t.c.map_id).where(t.c.id == note_id)).first()
        if found is None or found.map_id != self.map_id:
            msg = f"There is no note with id {note_id} on this map; it may have been deleted."
            raise NotFoundError(msg)

    def add_reflection(self, text: str, **details) -> int:
        """Keep a dated note about the map (see :func:`mapping.storage.reflections.add_reflection`)."""
        with self.checked() as conn:
            note = reflections.add_reflection(self.store, self.map_id, text, **details)
            self._log(conn, "added a reflection note", "note")
            return note

    def edit_reflection(self, note_id: int, text: str) -> None:
        """Change the words of one of the map's notes (its date, prompt and author stay).

        >>> store = Store("sqlite://")
        >>> map_id = access.create_map(store, Map(name="Discharge"), None)
        >>> w = MapWrites(store, map_id, None)
        >>> note = w.add_reflection("Ask Priya")
        >>> w.edit_reflection(note, "  Ask Priya to chair  ")
        >>> [n.text for n in reflections.list_reflections(store, map_id)]
        ['Ask Priya to chair']
        >>> w.edit_reflection(note, " ")
        Traceback (most recent call last):
        ...
        mapping.errors.ValidationError: The note is empty; write what you noticed, or delete the note.
        """
        text = str(text).strip()
        if not text:
            msg = "The note is empty; write what you noticed, or delete the note."
            raise ValidationError(msg)
        t = history.reflections_table
        check_storable(t, [{"text": text}], lambda _row: "The note")
        with self.checked() as conn:
            self._own_note(conn, note_id)
            conn.execute(update(t).where(t.c.id == note_id).values(text=text))
            self._log(conn, "edited a reflection note", "note")

    def include_in_report(self, note_id: int, chosen: bool = True) -> None:
        """Choose whether one of the map's notes goes into reports."""
        with self.checked() as conn:
            self._own_note(conn, note_id)
            reflections.include_in_report(self.store, note_id, chosen)
            what = "chose a reflection note for reports" if chosen else "left a note out of reports"
            self._log(conn, what, "note")

    def delete_reflection(self, note_id: int) -> None:
        """Forget one of the map's notes."""
        with self.checked() as conn:
            self._own_note(conn, note_id)
            reflections.delete_reflection(self.store, note_id)
            self._log(conn, "deleted a reflection note", "note")

    # raters' views

    def save_ratings(self, ratings: Iterable[Rating]) -> None:
        """Keep raters' views of the map, all or none, each replacing the rater's earlier view
        of the same field."""
        with self.checked() as conn:
            kept = 0
            for rating in ratings:
                rating_store.save_rating(self.store, self.map_id, rating)
                kept += 1
            self._log(conn, f"kept {count_of(kept, 'rated value')} of a rater's view", "views")

    def delete_ratings(self, *, rater: str | None = None, subject: str | None = None) -> int:
        """Forget raters' views of the map, by one rater and/or of one subject; how many."""
        with self.checked() as conn:
            n = rating_store.delete_ratings(self.store, self.map_id, rater=rater, subject=subject)
            self._log(conn, f"deleted {count_of(n, 'rated value')} of raters' views", "views")
            return n

    # the engagement plan

    def save_action(self, action: PlannedAction) -> None:
        """Add an action to the map's plan, or replace the one with its id, with an audit line."""
        with self.checked() as conn:
            plan_store.store_action(self.store, self.map_id, action)
            self._log(conn, "added or changed an action of the engagement plan", "plan")

    def delete_action(self, action_id: str) -> None:
        """Take one action off the map's plan."""
        with self.checked() as conn:
            plan_store.remove_action(self.store, self.map_id, action_id)
            self._log(conn, "took an action off the engagement plan", "plan")

    def complete_action(
        self,
        action: PlannedAction,
        m: Map | None = None,
        *,
        expected_version: int | None = None,
        base: Map | None = None,
    ) -> int | None:
        """Keep the action (marked done) and, with ``m``, the map with the change it brought,
        both or neither; the map as it was is first kept as a snapshot. Returns the map's new
        version (``None`` when the map was left as it is)."""
        with self.checked() as conn:
            version = None
            summary = "marked an action of the engagement plan done"
            if m is not None:
                old = self.store.load_map(self.map_id)
                version = history.save_with_snapshot(
                    self.store,
                    self.map_id,
                    m,
                    expected_version=expected_version,
                    base=base,
                    reason=history.BULK_EDIT,
                    name=f"Before: {action.what[:200]}",
                )
                summary += f": {activity.change_summary(activity.change_counts(old, m))}"
            plan_store.store_action(self.store, self.map_id, action)
            self._log(conn, summary, "plan")
            return version

    # settings

    def save_settings(self, settings: Settings | None) -> None:
        """Keep the map's thresholds (``None``: back to the defaults), with an audit line."""
        with self.checked() as conn:
            store_map_settings(self.store, self.map_id, settings)
            what = "set the thresholds" if settings else "put the thresholds back to defaults"
            self._log(conn, f"{what} of map {self.map_id}", "settings")
