"""A map's stakeholder and relationship rows in the database: every row of a new map, and
for a save only the rows that differ from the map as stored (an edit of one cell rewrites
one row, not the whole map).

>>> from mapping.model import Map, Stakeholder
>>> from mapping.storage.store import Store
>>> store = Store("sqlite://")
>>> before = Map(name="M", stakeholders=(Stakeholder("a", "Ann"), Stakeholder("b", "Bo")))
>>> map_id = store.create_map(before)
>>> after = Map(name="M", stakeholders=(Stakeholder("b", "Bo"), Stakeholder("c", "Cy")))
>>> with store.transaction() as conn:
...     write_changes(conn, map_id, before, after)
>>> store.load_map(map_id) == after
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, delete, insert, update
from sqlalchemy.engine import Connection

from mapping.model import Map, Relationship, Stakeholder
from mapping.storage.schema import (
    item_rows,
    relationships_table,
    stakeholders_table,
)

__all__ = ["write_rows", "write_changes"]

Item = TypeVar("Item", Stakeholder, Relationship)

#: The key of a row: its map and its own id (never changed by :func:`write_changes`).
_KEY = ("map_id", "id")


def write_rows(conn: Connection, map_id: int, people: list[dict], ties: list[dict]) -> None:
    """Insert the rows of :func:`mapping.storage.schema.content_rows` as map ``map_id``'s."""
    for row in (*people, *ties):
        row["map_id"] = map_id
    if people:
        conn.execute(insert(stakeholders_table), people)
    if ties:
        conn.execute(insert(relationships_table), ties)


def write_changes(conn: Connection, map_id: int, before: Map, after: Map) -> None:
    """Turn the rows of map ``map_id``, which hold ``before``, into those of ``after``:
    delete the rows of items gone, update those changed or moved, insert those new.

    Relationships go first and come back last, so that no row ever points at a
    stakeholder that is not there.
    """
    gone_ties, ties = _changes(before.relationships, after.relationships)
    gone_people, people = _changes(before.stakeholders, after.stakeholders)
    _delete(conn, relationships_table, map_id, gone_ties)
    _delete(conn, stakeholders_table, map_id, gone_people)
    _write(conn, stakeholders_table, map_id, people, {s.id for s in before.stakeholders})
    _write(conn, relationships_table, map_id, ties, {r.id for r in before.relationships})


def _changes(
    before: Sequence[Item], after: Sequence[Item]
) -> tuple[set[str], list[tuple[int, Item]]]:
    """The ids in ``before`` and not in ``after``, and the ``(ordinal, item)`` of ``after``
    that are new, changed or at another place."""
    was = {item.id: (i, item) for i, item in enumerate(before)}
    changed = [(i, item) for i, item in enumerate(after) if was.get(item.id) != (i, item)]
    return was.keys() - {item.id for item in after}, changed


def _delete(conn: Connection, table: Table, map_id: int, ids: set[str]) -> None:
    if ids:
        conn.execute(delete(table).where(table.c.map_id == map_id, table.c.id.in_(sorted(ids))))


def _write(
    conn: Connection,
    table: Table,
    map_id: int,
    items: list[tuple[int, Any]],
    stored: set[str],
) -> None:
    """Update the rows of ``items`` whose id is ``stored``, insert the others."""
    rows = item_rows(table, map_id, items)
    new = [row for row in rows if row["id"] not in stored]
    if new:
        conn.execute(insert(table), new)
    changed = [
        {"key_map": map_id, "key_id": row["id"]}
        | {name: value for name, value in row.items() if name not in _KEY}
        for row in rows
        if row["id"] in stored
    ]
    if changed:
        key = (table.c.map_id == bindparam("key_map")) & (table.c.id == bindparam("key_id"))
        conn.execute(update(table).where(key), changed)
