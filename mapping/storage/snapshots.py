"""Snapshots as they are read: why each was taken, its details, and the queries that list
and open them. Taking, restoring and deleting them is in :mod:`mapping.storage.history`,
which offers these names too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    select,
)

from mapping.errors import NotFoundError
from mapping.io import project_json
from mapping.model import Map
from mapping.storage.schema import (
    snapshots_table,
)
from mapping.storage.store import Store

__all__ = [
    "MANUAL",
    "IMPORT",
    "BULK_EDIT",
    "DELETION",
    "RESTORE",
    "DAILY",
    "REASONS",
    "Snapshot",
    "ensure_tables",
    "list_snapshots",
    "taken_since",
    "get_snapshot",
    "snapshot_text",
    "snapshot_map",
    "SNAPSHOT_COLUMNS",
    "snapshot_of_row",
    "aware",
]


MANUAL, IMPORT, BULK_EDIT, DELETION, RESTORE, DAILY = (
    "manual",
    "import",
    "bulk edit",
    "deletion",
    "restore",
    "daily",
)


#: Why a snapshot was taken -> words for the list; all but manual ones are automatic.
REASONS: dict[str, str] = {
    MANUAL: "taken by hand",
    IMPORT: "before an import",
    BULK_EDIT: "before a bulk edit",
    DELETION: "before a deletion",
    RESTORE: "before a restore",
    DAILY: "before the day's first change",
}


@dataclass(frozen=True)
class Snapshot:
    """One snapshot's details (its map is read with :func:`snapshot_map`).

    ``map_id`` is ``None`` once its map was deleted; ``digest`` is the SHA-256 of its text.
    """

    id: int
    map_id: int | None
    name: str
    reason: str
    taken_at: datetime
    map_version: int | None
    map_name: str
    stakeholders: int
    relationships: int
    digest: str

    @property
    def automatic(self) -> bool:
        """Whether the app took it by itself (before an import, bulk edit, deletion or restore)."""
        return self.reason != MANUAL

    @property
    def label(self) -> str:
        """Date, time and name, for pickers."""
        return f"{self.taken_at.astimezone():%Y-%m-%d %H:%M} · {self.name}"


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def ensure_tables(store: Store) -> None:
    """Nothing to do: the store's migrations made the history tables when it opened.

    Kept so that older callers keep working.
    """
    del store


def snapshot_of_row(row: Any) -> Snapshot:
    return Snapshot(
        id=row.id,
        map_id=row.map_id,
        name=row.name,
        reason=row.reason,
        taken_at=aware(row.taken_at),
        map_version=row.map_version,
        map_name=row.map_name,
        stakeholders=row.stakeholders,
        relationships=row.relationships,
        digest=row.digest,
    )


SNAPSHOT_COLUMNS = [c for c in snapshots_table.c if c.name not in ("content", "figures")]


def list_snapshots(store: Store, map_id: int) -> list[Snapshot]:
    """The map's snapshots, newest first."""
    query = (
        select(*SNAPSHOT_COLUMNS)
        .where(snapshots_table.c.map_id == map_id)
        .order_by(snapshots_table.c.taken_at.desc(), snapshots_table.c.id.desc())
    )
    with store.transaction() as conn:
        return [snapshot_of_row(row) for row in conn.execute(query)]


def taken_since(store: Store, map_id: int, moment: datetime) -> bool:
    """Whether the map has a snapshot taken at ``moment`` or later (an aware datetime).

    >>> store = Store("sqlite://")
    >>> map_id = store.create_map(Map(name="Discharge"))
    >>> midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    >>> before = taken_since(store, map_id, midnight)
    >>> from mapping.storage.history import take_snapshot
    >>> _ = take_snapshot(store, map_id, "Now")
    >>> before, taken_since(store, map_id, midnight)
    (False, True)
    """
    query = (
        select(snapshots_table.c.id)
        .where(snapshots_table.c.map_id == map_id, snapshots_table.c.taken_at >= moment)
        .limit(1)
    )
    with store.transaction() as conn:
        return conn.execute(query).first() is not None


def get_snapshot(store: Store, snapshot_id: int) -> Snapshot:
    """One snapshot's details (``NotFoundError`` if it was deleted)."""
    with store.transaction() as conn:
        row = conn.execute(
            select(*SNAPSHOT_COLUMNS).where(snapshots_table.c.id == snapshot_id)
        ).first()
    if row is None:
        msg = f"There is no snapshot with id {snapshot_id}; it may have been deleted."
        raise NotFoundError(msg)
    return snapshot_of_row(row)


def snapshot_text(store: Store, snapshot_id: int) -> str:
    """The snapshot's project JSON, exactly as kept."""
    with store.transaction() as conn:
        text = conn.execute(
            select(snapshots_table.c.content).where(snapshots_table.c.id == snapshot_id)
        ).scalar()
    if text is None:
        msg = f"There is no snapshot with id {snapshot_id}; it may have been deleted."
        raise NotFoundError(msg)
    return text


def snapshot_map(store: Store, snapshot_id: int) -> Map:
    """The map as it was when the snapshot was taken."""
    return project_json.loads(snapshot_text(store, snapshot_id))
