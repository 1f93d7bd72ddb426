"""Backup of everything: every map with its snapshots, notes and ratings, and the settings.

One JSON file (``"format": "coalition-mapper-backup"``, ``"version": 1``). Each map is kept
as project JSON with its version, times and own thresholds, and its history beside it; the
history of deleted maps (still restorable in the app) is kept too. :func:`restore_backup`
checks the whole file before writing anything and then writes it in one transaction, so a
bad file or a failure half-way leaves the database exactly as it was.

Sharing, the audit trail (:mod:`mapping.storage.access`) and each user's preferences are not part of
a backup.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, insert, select, update

from mapping.io import project_json
from mapping.storage import migrations
from mapping.storage.actions import actions_table, list_actions, replace_actions
from mapping.storage.backup_file import FORMAT, VERSION, BackupSummary, Plan, read_plan
from mapping.storage.history import ratings_table, reflections_table, snapshots_table
from mapping.storage.schema import (
    inserted_id,
    maps_table,
    relationships_table,
    settings_table,
    stakeholders_table,
)
from mapping.storage.settings import map_settings_table
from mapping.storage.store import Store

__all__ = ["FORMAT", "VERSION", "BackupSummary", "backup", "read_backup", "restore_backup"]

_HISTORY = (snapshots_table, reflections_table, ratings_table)


def _when(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _of_map(map_id: int) -> Callable[[Table], ColumnElement[bool]]:
    """Which rows of a history table belong to the map ``map_id``."""
    return lambda t: t.c.map_id == map_id


def _of_deleted(group: int | None) -> Callable[[Table], ColumnElement[bool]]:
    """Which rows of a history table belong to the maps deleted together as ``group``."""
    return lambda t: (
        t.c.map_id.is_(None)
        & (t.c.deleted_with.is_(None) if group is None else t.c.deleted_with == group)
    )


def _history_rows(conn: Any, where: Callable[[Any], Any]) -> dict[str, list[dict[str, Any]]]:
    s, r, t = snapshots_table, reflections_table, ratings_table
    return {
        "snapshots": [
            {
                "id": row.id,
                "name": row.name,
                "reason": row.reason,
                "taken_at": _when(row.taken_at),
                "map_version": row.map_version,
                "content": row.content,
                "digest": row.digest,
                "figures": row.figures,
            }
            for row in conn.execute(select(s).where(where(s)).order_by(s.c.id))
        ],
        "reflections": [
            {
                "id": row.id,
                "snapshot_id": row.snapshot_id,
                "written_on": _day(row.written_on),
                "written_at": _when(row.written_at),
                "author": row.author,
                "prompt": row.prompt,
                "text": row.text,
                "in_report": bool(row.in_report),
            }
            for row in conn.execute(select(r).where(where(r)).order_by(r.c.id))
        ],
        "ratings": [
            {
                "rater": row.rater,
                "subject": row.subject,
                "field": row.field,
                "value": row.value,
                "rated_at": _when(row.rated_at),
            }
            for row in conn.execute(select(t).where(where(t)).order_by(t.c.id))
        ],
    }


def _map_settings(conn: Any, map_id: int) -> dict[str, Any]:
    """The map's own thresholds (empty: the defaults)."""
    t = map_settings_table
    return conn.execute(select(t.c.settings).where(t.c.map_id == map_id)).scalar() or {}


def backup(store: Store) -> bytes:
    """Everything in the store as one UTF-8 JSON file, read in one transaction.

    >>> from mapping.model import Map
    >>> store = Store("sqlite://")
    >>> _ = store.create_map(Map(name="Discharge"))
    >>> data = json.loads(backup(store))
    >>> data["format"], data["version"], [m["project"]["map"]["name"] for m in data["maps"]]
    ('coalition-mapper-backup', 1, ['Discharge'])
    """
    with store.transaction() as conn:
        ids = [row.id for row in conn.execute(select(maps_table.c.id).order_by(maps_table.c.id))]
        maps = []
        for map_id in ids:
            header = conn.execute(select(maps_table).where(maps_table.c.id == map_id)).one()
            maps.append(
                {
                    "id": map_id,
                    "version": header.version,
                    "created_at": _when(header.created_at),
                    "updated_at": _when(header.updated_at),
                    "project": project_json.to_dict(
                        store.load_map(map_id), list_actions(store, map_id)
                    ),
                    "settings": _map_settings(conn, map_id),
                    **_history_rows(conn, _of_map(map_id)),
                }
            )
        groups = sorted(
            {
                row.deleted_with
                for table in _HISTORY
                for row in conn.execute(
                    select(table.c.deleted_with).where(table.c.map_id.is_(None)).distinct()
                )
            },
            key=lambda g: (g is not None, g or 0),
        )
        deleted = [
            {
                "deleted_with": group,
                **_history_rows(conn, _of_deleted(group)),
            }
            for group in groups
        ]
        settings = {row.key: row.value for row in conn.execute(select(settings_table))}
    document = {
        "format": FORMAT,
        "version": VERSION,
        "schema": migrations.head(),
        "made_at": _when(datetime.now(UTC)),
        "settings": settings,
        "maps": maps,
        "deleted": deleted,
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def read_backup(data: bytes | str) -> BackupSummary:
    """Check a backup file and say what it holds (nothing is written).

    >>> from mapping.model import Map
    >>> store = Store("sqlite://")
    >>> _ = store.create_map(Map(name="Discharge"))
    >>> print(read_backup(backup(store)))
    1 map, 0 snapshots, 0 notes and 0 ratings
    """
    return read_plan(data).summary()


def _write(store: Store, conn: Any, plan: Plan) -> list[int]:
    new_snapshot: dict[int | None, int | None] = {None: None}
    map_ids = []
    for g in plan.groups:
        map_id = None
        if g.map is not None:
            map_id = store.insert_map(
                g.map,
                version=g.header["version"],
                created_at=g.header["created_at"],
                updated_at=g.header["updated_at"],
            )
            map_ids.append(map_id)
            if g.header.get("settings"):
                conn.execute(
                    insert(map_settings_table).values(
                        map_id=map_id, settings=g.header["settings"], updated_at=datetime.now(UTC)
                    )
                )
            if g.header.get("actions"):
                replace_actions(conn, map_id, g.header["actions"])
        for row in g.snapshots:
            values = {k: v for k, v in row.items() if k != "old_id"}
            if values["figures"] is None:  # SQL NULL, as when the snapshot was taken
                del values["figures"]
            new_snapshot[row["old_id"]] = inserted_id(
                conn.execute(insert(snapshots_table).values(**values, map_id=map_id))
            )
        g.header["map_id"] = map_id
    for g in plan.groups:
        deleted_with = new_snapshot[g.deleted_with]
        if deleted_with is not None:
            conn.execute(
                update(snapshots_table)
                .where(snapshots_table.c.id.in_([new_snapshot[s["old_id"]] for s in g.snapshots]))
                .values(deleted_with=deleted_with)
            )
        common = {"map_id": g.header["map_id"], "deleted_with": deleted_with}
        notes = [
            {**row, **common, "snapshot_id": new_snapshot[row["snapshot_id"]]}
            for row in g.reflections
        ]
        if notes:
            conn.execute(insert(reflections_table), notes)
        if g.ratings:
            conn.execute(insert(ratings_table), [{**row, **common} for row in g.ratings])
    return map_ids


def restore_backup(store: Store, data: bytes | str, *, replace: bool) -> BackupSummary:
    """Bring back everything in a backup, in one transaction; return what was restored.

    With ``replace`` the database is first emptied of every map, its history, and the
    settings, so it ends up holding exactly the backup; without, the backup's maps (and
    deleted maps' history) are added beside the ones there, and the settings are left as
    they are. The whole file is checked first: a bad file writes nothing.

    >>> from mapping.model import Map
    >>> store = Store("sqlite://")
    >>> _ = store.create_map(Map(name="Discharge"))
    >>> data = backup(store)
    >>> print(restore_backup(store, data, replace=False))
    1 map, 0 snapshots, 0 notes and 0 ratings
    >>> sorted(info.name for info in store.list_maps())
    ['Discharge', 'Discharge']
    """
    plan = read_plan(data)
    with store.transaction() as conn:
        if replace:
            for table in (
                actions_table,
                ratings_table,
                reflections_table,
                snapshots_table,
                relationships_table,
                stakeholders_table,
                maps_table,
                settings_table,
            ):
                conn.execute(delete(table))
            # other tables that keep deleted maps' history by ``deleted_with`` (sharing)
            for table in maps_table.metadata.sorted_tables:
                if table not in _HISTORY and {"map_id", "deleted_with"} <= set(table.c.keys()):
                    conn.execute(delete(table).where(table.c.map_id.is_(None)))
        map_ids = _write(store, conn, plan)
        if replace and plan.settings:
            rows = [{"key": k, "value": v} for k, v in plan.settings.items()]
            conn.execute(insert(settings_table), rows)
    return plan.summary(map_ids)
