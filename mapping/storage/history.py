"""History: snapshots of a map over time, kept in the store beside the maps.

The tables of snapshots, reflection notes (:mod:`mapping.storage.reflections`) and raters' views
(:mod:`mapping.storage.rating_store`) are declared with every other in
:mod:`mapping.storage.schema`; the store's migrations (:mod:`mapping.storage.migrations`) create
them. Snapshots hold the map as project JSON text, so a restore gives back exactly the map
that was saved; reading them (their details, the lists of them, their maps) is in
:mod:`mapping.storage.snapshots`, whose names this module offers too.

Every change that takes an automatic snapshot first (:func:`save_with_snapshot`,
:func:`restore_snapshot`) is one transaction with it: a failure half-way leaves both undone.

Deleting a map keeps its history: :func:`delete_map_keeping_history` takes a last snapshot
and detaches the map's snapshots, notes and ratings (``map_id`` becomes ``NULL``,
``deleted_with`` names that last snapshot) before the map goes; :func:`deleted_maps` lists
them, :func:`restore_deleted_map` brings a map back with its history, and
:func:`purge_deleted_map` forgets it for good.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    delete,
    insert,
    select,
    update,
)

from mapping.errors import ValidationError
from mapping.io import project_json
from mapping.model import Map
from mapping.model.actions import PlannedAction
from mapping.model.settings import Settings
from mapping.model.wording import long_date
from mapping.storage.actions import list_actions, replace_actions
from mapping.storage.schema import (
    check_storable,
    inserted_id,
    ratings_table,
    reflections_table,
    snapshots_table,
)
from mapping.storage.snapshots import (
    BULK_EDIT,
    DAILY,
    DELETION,
    IMPORT,
    MANUAL,
    REASONS,
    RESTORE,
    SNAPSHOT_COLUMNS,
    Snapshot,
    ensure_tables,
    get_snapshot,
    list_snapshots,
    snapshot_map,
    snapshot_of_row,
    snapshot_text,
    taken_since,
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
    "snapshots_table",
    "reflections_table",
    "ratings_table",
    "ensure_tables",
    "take_snapshot",
    "save_with_snapshot",
    "list_snapshots",
    "taken_since",
    "get_snapshot",
    "snapshot_text",
    "snapshot_map",
    "rename_snapshot",
    "restore_snapshot",
    "delete_snapshot",
    "snapshot_figures",
    "delete_map_keeping_history",
    "deleted_maps",
    "restore_deleted_map",
    "purge_deleted_map",
]


_TABLES = (snapshots_table, reflections_table, ratings_table)


def _now() -> datetime:
    return datetime.now(UTC)


def _clean_name(name: str, *, shorten: bool = False) -> str:
    name = str(name).strip()
    if len(name) > 300 and shorten:
        return name[:299] + "…"
    if len(name) > 300:
        msg = f"A snapshot name can be at most 300 characters; this one has {len(name)}."
        raise ValidationError(msg)
    return name


def take_snapshot(
    store: Store,
    map_id: int,
    name: str = "",
    *,
    reason: str = MANUAL,
    m: Map | None = None,
    plan: Sequence[PlannedAction] | None = None,
) -> int:
    """Keep the map as it is now (or ``m``, the map as the user saw it) and return the id;
    with ``plan``, its engagement plan too (the last snapshot of a deleted map keeps it).

    An automatic snapshot (any ``reason`` but ``"manual"``) identical to the map's latest
    snapshot is not taken twice: the latest one's id is returned.

    >>> store = Store("sqlite://")
    >>> map_id = store.create_map(Map(name="Discharge"))
    >>> sid = take_snapshot(store, map_id, "Before the board")
    >>> [s.name for s in list_snapshots(store, map_id)], snapshot_map(store, sid).name
    (['Before the board'], 'Discharge')
    """
    if reason not in REASONS:
        msg = f"Unknown snapshot reason {reason!r}; use one of {', '.join(REASONS)}."
        raise ValidationError(msg)
    now = _now()
    name = _clean_name(name, shorten=reason != MANUAL) or (
        f"Snapshot of {long_date(now.astimezone().date())}"
        if reason == MANUAL
        else f"Automatic: {REASONS[reason]}"
    )
    with store.transaction() as conn:
        version = store.version(map_id)
        if m is None:
            m = store.load_map(map_id)
        content = project_json.dumps(m, plan)
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        row = {"name": name, "map_name": m.name, "content": content}
        check_storable(snapshots_table, [row], lambda _row: "The snapshot")
        if reason not in (MANUAL, DELETION):
            last = conn.execute(
                select(snapshots_table.c.id, snapshots_table.c.digest)
                .where(snapshots_table.c.map_id == map_id)
                .order_by(snapshots_table.c.taken_at.desc(), snapshots_table.c.id.desc())
                .limit(1)
            ).first()
            if last is not None and last.digest == digest:
                return int(last.id)
        new_id = inserted_id(
            conn.execute(
                insert(snapshots_table).values(
                    **row,
                    map_id=map_id,
                    reason=reason,
                    taken_at=now,
                    map_version=version,
                    stakeholders=len(m.stakeholders),
                    relationships=len(m.relationships),
                    digest=digest,
                )
            )
        )
    return new_id


def save_with_snapshot(
    store: Store,
    map_id: int,
    m: Map,
    *,
    expected_version: int | None = None,
    base: Map | None = None,
    reason: str | None = None,
    name: str = "",
) -> int:
    """Save ``m`` over the map, first keeping ``base`` (or the stored map) as a snapshot.

    With ``reason`` None no snapshot is taken. Both happen in one transaction: if the save
    fails (a conflict, a broken rule, a lost connection) the snapshot is not kept either.
    Returns the map's new version.

    >>> store = Store("sqlite://")
    >>> map_id = store.create_map(Map(name="Discharge"))
    >>> save_with_snapshot(store, map_id, Map(name="Discharge v2"), expected_version=1,
    ...                    reason=IMPORT, name="Before import x.csv")
    2
    >>> [s.name for s in list_snapshots(store, map_id)]
    ['Before import x.csv']
    """
    with store.transaction():
        if reason is not None:
            take_snapshot(store, map_id, name, reason=reason, m=base)
        return store.save_map(map_id, m, expected_version=expected_version, base=base)


def rename_snapshot(store: Store, snapshot_id: int, name: str) -> None:
    """Give a snapshot a new name."""
    name = _clean_name(name)
    if not name:
        msg = "A snapshot needs a name; type one in."
        raise ValidationError(msg)
    with store.transaction() as conn:
        get_snapshot(store, snapshot_id)
        conn.execute(
            update(snapshots_table).where(snapshots_table.c.id == snapshot_id).values(name=name)
        )


def restore_snapshot(
    store: Store, map_id: int, snapshot_id: int, *, expected_version: int | None = None
) -> int:
    """Put the map back as it was in the snapshot, after snapshotting it as it is now.

    Returns the map's new version; the restore itself can be undone by restoring the
    automatic snapshot it took first.
    """
    snap = get_snapshot(store, snapshot_id)
    if snap.map_id != map_id:
        msg = f"Snapshot {snap.name!r} belongs to another map; open that map to restore it."
        raise ValidationError(msg)
    restored = snapshot_map(store, snapshot_id)
    return save_with_snapshot(
        store,
        map_id,
        restored,
        expected_version=expected_version,
        reason=RESTORE,
        name=f"Before restoring {snap.name!r}",
    )


def delete_snapshot(store: Store, snapshot_id: int) -> None:
    """Forget a snapshot; notes written about it stay, attached to the map."""
    with store.transaction() as conn:
        get_snapshot(store, snapshot_id)
        conn.execute(
            update(reflections_table)
            .where(reflections_table.c.snapshot_id == snapshot_id)
            .values(snapshot_id=None)
        )
        conn.execute(delete(snapshots_table).where(snapshots_table.c.id == snapshot_id))


def snapshot_figures(
    store: Store,
    snapshot_id: int,
    figures_of: Callable[[Map, date, Settings], dict[str, int | float]],
    settings: Settings | None = None,
) -> dict[str, int | float]:
    """The headline figures of the snapshot's map as on the day it was taken.

    ``figures_of`` computes them (storage knows no analysis: the caller passes
    :func:`mapping.analysis.headline.figures_with`). Computed once for each set of
    thresholds, then kept with the snapshot.
    """
    s = settings or Settings()
    snap = get_snapshot(store, snapshot_id)
    with store.transaction() as conn:
        kept = conn.execute(
            select(snapshots_table.c.figures).where(snapshots_table.c.id == snapshot_id)
        ).scalar()
    if kept and kept.get("settings") == s.to_dict():
        return dict(kept["figures"])
    figures = figures_of(snapshot_map(store, snapshot_id), snap.taken_at.date(), s)
    with store.transaction() as conn:
        conn.execute(
            update(snapshots_table)
            .where(snapshots_table.c.id == snapshot_id)
            .values(figures={"settings": s.to_dict(), "figures": figures})
        )
    return figures


def _move(store: Store, where: Any, **values: Any) -> None:
    with store.transaction() as conn:
        for table in _TABLES:
            conn.execute(update(table).where(where(table)).values(**values))


def delete_map_keeping_history(store: Store, map_id: int) -> int:
    """Delete a map but keep a last snapshot of it and its history; return that snapshot's id.

    One transaction: if anything fails, the map and its history stay as they were.
    """
    with store.transaction():
        name = store.load_map(map_id).name
        plan = list_actions(store, map_id) or None  # kept in the snapshot, back on a restore
        sid = take_snapshot(store, map_id, f"{name} (deleted)", reason=DELETION, plan=plan)
        _move(store, lambda t: t.c.map_id == map_id, map_id=None, deleted_with=sid)
        store.delete_map(map_id)
    return sid


def deleted_maps(store: Store) -> list[Snapshot]:
    """The last snapshots of deleted maps, most recently deleted first."""
    query = (
        select(*SNAPSHOT_COLUMNS)
        .where(
            snapshots_table.c.map_id.is_(None),
            snapshots_table.c.reason == DELETION,
            snapshots_table.c.deleted_with == snapshots_table.c.id,
        )
        .order_by(snapshots_table.c.taken_at.desc(), snapshots_table.c.id.desc())
    )
    with store.transaction() as conn:
        return [snapshot_of_row(row) for row in conn.execute(query)]


def _deletion(store: Store, snapshot_id: int) -> Snapshot:
    snap = get_snapshot(store, snapshot_id)
    if snap.map_id is not None or snap.reason != DELETION:
        msg = f"Snapshot {snap.name!r} is not the last snapshot of a deleted map."
        raise ValidationError(msg)
    return snap


def restore_deleted_map(store: Store, snapshot_id: int) -> int:
    """Bring a deleted map back, with its snapshots, notes, ratings and engagement plan;
    return its new id."""
    with store.transaction():
        _deletion(store, snapshot_id)
        new_id = store.create_map(snapshot_map(store, snapshot_id))
        _move(store, lambda t: t.c.deleted_with == snapshot_id, map_id=new_id, deleted_with=None)
        _, plan = project_json.loads_plan(snapshot_text(store, snapshot_id))
        if plan:
            with store.transaction() as conn:
                replace_actions(conn, new_id, plan)
    return new_id


def purge_deleted_map(store: Store, snapshot_id: int) -> None:
    """Forget a deleted map for good: its snapshots, notes and ratings."""
    with store.transaction() as conn:
        _deletion(store, snapshot_id)
        for table in (reflections_table, ratings_table, snapshots_table):
            conn.execute(delete(table).where(table.c.deleted_with == snapshot_id))
