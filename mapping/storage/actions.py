"""The engagement plan's storage: each map's planned actions, one row per action.

The app changes a plan only through :class:`mapping.storage.writes.MapWrites`, which checks the
user's role inside the same transaction (editors and owners write, viewers read). Actions
travel with the map in project JSON and backups and are erased with a person
(:mod:`mapping.storage.erasure`). The table is made by the migration ``0004_actions``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from mapping.errors import NotFoundError, ValidationError
from mapping.model.actions import PlannedAction
from mapping.storage.schema import actions_table, check_storable
from mapping.storage.store import Store

__all__ = [
    "actions_table",
    "list_actions",
    "get_action",
    "store_action",
    "remove_action",
    "replace_actions",
    "copy_actions",
]

#: The most characters an action's JSON may take (about a long report's worth).
MOST_CHARACTERS = 200_000


def _row(map_id: int, a: PlannedAction) -> dict[str, Any]:
    data = a.to_dict()
    text = json.dumps(data, ensure_ascii=False)
    if "\x00" in text:
        msg = f"The action {a.what[:40]!r} holds a NUL character (code 0); remove it."
        raise ValidationError(msg)
    if len(text) > MOST_CHARACTERS:
        msg = f"The action {a.what[:40]!r} is too long to keep ({len(text)} characters, at most "
        msg += f"{MOST_CHARACTERS}); shorten its notes."
        raise ValidationError(msg)
    row = {"map_id": map_id, "id": a.id, "data": data, "updated_at": datetime.now(UTC)}
    check_storable(actions_table, [row], lambda _row: f"The action {a.what[:40]!r}")
    return row


def list_actions(store: Store, map_id: int) -> list[PlannedAction]:
    """The map's actions, oldest first.

    >>> from datetime import date
    >>> from mapping.model import Map
    >>> store = Store("sqlite://")
    >>> map_id = store.create_map(Map(name="Discharge"))
    >>> store_action(store, map_id, PlannedAction("a-1", "Meet Richard", due=date(2026, 5, 1)))
    >>> [(a.id, a.due.isoformat()) for a in list_actions(store, map_id)]
    [('a-1', '2026-05-01')]
    """
    t = actions_table
    with store.transaction() as conn:
        rows = conn.execute(select(t.c.id, t.c.data).where(t.c.map_id == map_id)).all()
    found = [PlannedAction.from_dict(r.data, f"Action {r.id!r}") for r in rows]
    return sorted(found, key=lambda a: (a.created_on, a.id))


def get_action(store: Store, map_id: int, action_id: str) -> PlannedAction:
    """One of the map's actions; ``NotFoundError`` if it is not on this map."""
    t = actions_table
    with store.transaction() as conn:
        data = conn.execute(
            select(t.c.data).where(t.c.map_id == map_id, t.c.id == action_id)
        ).scalar()
    if data is None:
        msg = f"There is no action with id {action_id!r} on this map; it may have been deleted."
        raise NotFoundError(msg)
    return PlannedAction.from_dict(data, f"Action {action_id!r}")


def store_action(store: Store, map_id: int, a: PlannedAction) -> None:
    """Add the action to the map's plan, or replace the one with its id (no access check:
    the app writes through :class:`mapping.storage.writes.MapWrites`)."""
    row = _row(map_id, a)
    t = actions_table
    with store.transaction() as conn:
        store.version(map_id)  # NotFoundError for a map that is gone
        conn.execute(delete(t).where(t.c.map_id == map_id, t.c.id == a.id))
        conn.execute(t.insert().values(**row))


def remove_action(store: Store, map_id: int, action_id: str) -> None:
    """Take one action off the map's plan; ``NotFoundError`` if it is not there."""
    t = actions_table
    with store.transaction() as conn:
        gone = conn.execute(delete(t).where(t.c.map_id == map_id, t.c.id == action_id)).rowcount
    if not gone:
        msg = f"There is no action with id {action_id!r} on this map; it may have been deleted."
        raise NotFoundError(msg)


def replace_actions(conn: Connection, map_id: int, actions: Iterable[PlannedAction]) -> None:
    """Make ``actions`` the map's whole plan, inside the caller's transaction."""
    t = actions_table
    rows = [_row(map_id, a) for a in actions]
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        msg = "Two actions of the plan have the same id; the file is damaged."
        raise ValidationError(msg)
    conn.execute(delete(t).where(t.c.map_id == map_id))
    if rows:
        conn.execute(t.insert(), rows)


def copy_actions(conn: Connection, from_map: int, to_map: int) -> None:
    """Give ``to_map`` (a new copy) the plan of ``from_map``, inside a transaction."""
    t = actions_table
    rows = conn.execute(select(t.c.id, t.c.data).where(t.c.map_id == from_map)).all()
    if rows:
        now = datetime.now(UTC)
        conn.execute(
            t.insert(),
            [{"map_id": to_map, "id": r.id, "data": r.data, "updated_at": now} for r in rows],
        )
