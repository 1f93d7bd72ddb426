"""Every database table, and a map as its rows.

Maps, their people and ties, settings, snapshots, reflection notes, raters' views,
engagement plans, map thresholds, user preferences, who may open each map and the activity
log are declared here for queries, all on one ``metadata``; the migrations of :mod:`mapping.storage.migrations` make
them. :func:`check_storable` applies the same limits on SQLite and PostgreSQL (text no longer
than its column, no NUL character), so a map that saves on one saves on the other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    CursorResult,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from mapping.errors import ValidationError
from mapping.model import Map, Relationship, Stakeholder
from mapping.model.fields import to_record

__all__ = [
    "metadata",
    "MAP_NAME_LENGTH",
    "maps_table",
    "stakeholders_table",
    "relationships_table",
    "settings_table",
    "snapshots_table",
    "reflections_table",
    "ratings_table",
    "actions_table",
    "map_settings_table",
    "user_preferences_table",
    "map_access_table",
    "audit_table",
    "check_storable",
    "content_rows",
    "item_rows",
    "header_values",
    "inserted_id",
]

metadata = MetaData()

#: The most characters a map's name may have.
MAP_NAME_LENGTH = 300

maps_table = Table(
    "maps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(MAP_NAME_LENGTH), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("perspectives", JSON, nullable=False),
    Column("relationship_types", JSON, nullable=False),
    Column("positions", JSON, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

stakeholders_table = Table(
    "stakeholders",
    metadata,
    Column("map_id", Integer, ForeignKey("maps.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("ordinal", Integer, nullable=False),
    Column("name", String(500), nullable=False),
    Column("organisation", String(500), nullable=False),
    Column("role", String(500), nullable=False),
    Column("perspective", String(200), nullable=False),
    Column("influence", Integer, nullable=False),
    Column("interest", Integer, nullable=False),
    Column("stance", String(20), nullable=False),
    Column("coalition", Boolean, nullable=False),
    Column("notes", Text, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("review_by", Date, nullable=True),
    Column("custom", JSON, nullable=False),
)

relationships_table = Table(
    "relationships",
    metadata,
    Column("map_id", Integer, ForeignKey("maps.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("ordinal", Integer, nullable=False),
    Column("source", String(200), nullable=False),
    Column("target", String(200), nullable=False),
    Column("type", String(200), nullable=False),
    Column("strength", Integer, nullable=False),
    Column("directed", Boolean, nullable=False),
    Column("how_we_know", Text, nullable=False),
    Column("last_confirmed", Date, nullable=True),
    Column("notes", Text, nullable=False),
    Column("custom", JSON, nullable=False),
    ForeignKeyConstraint(
        ["map_id", "source"], ["stakeholders.map_id", "stakeholders.id"], ondelete="CASCADE"
    ),
    ForeignKeyConstraint(
        ["map_id", "target"], ["stakeholders.map_id", "stakeholders.id"], ondelete="CASCADE"
    ),
)


settings_table = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", JSON, nullable=False),
)


# --- History: snapshots, reflection notes and raters' views (mapping.storage.history,
# reflections, rating_store); a deleted map's rows wait with map_id NULL, named by
# deleted_with (its last snapshot).


def _map_column() -> Column:
    return Column("map_id", Integer, ForeignKey("maps.id", ondelete="SET NULL"), index=True)


snapshots_table = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _map_column(),
    Column("deleted_with", Integer, nullable=True, index=True),
    Column("name", String(300), nullable=False),
    Column("reason", String(30), nullable=False),
    Column("taken_at", DateTime(timezone=True), nullable=False),
    Column("map_version", Integer, nullable=True),
    Column("map_name", String(300), nullable=False),
    Column("stakeholders", Integer, nullable=False),
    Column("relationships", Integer, nullable=False),
    Column("content", Text, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("figures", JSON, nullable=True),
)

reflections_table = Table(
    "reflections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _map_column(),
    Column("deleted_with", Integer, nullable=True, index=True),
    Column("snapshot_id", Integer, ForeignKey("snapshots.id", ondelete="SET NULL")),
    Column("written_on", Date, nullable=False),
    Column("written_at", DateTime(timezone=True), nullable=False),
    Column("author", String(20), nullable=False),
    Column("prompt", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("in_report", Boolean, nullable=False, default=False),
)

ratings_table = Table(
    "ratings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _map_column(),
    Column("deleted_with", Integer, nullable=True, index=True),
    Column("rater", String(200), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("field", String(20), nullable=False),
    Column("value", String(20), nullable=False),
    Column("rated_at", DateTime(timezone=True), nullable=False),
)

# --- A map's engagement plan (mapping.storage.actions).

actions_table = Table(
    "map_actions",
    metadata,
    Column("map_id", Integer, ForeignKey("maps.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(40), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


# --- A map's thresholds and each user's preferences (mapping.storage.settings).

map_settings_table = Table(
    "map_settings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("map_id", Integer, ForeignKey("maps.id", ondelete="CASCADE"), nullable=True),
    # a deleted map's settings wait beside its history (its last snapshot), as its access does
    Column("deleted_with", Integer, nullable=True, index=True),
    Column("settings", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("map_id", name="uq_map_settings_map"),
)

user_preferences_table = Table(
    "user_preferences",
    metadata,
    Column("user_email", String(320), primary_key=True),
    Column("key", String(100), primary_key=True),
    Column("value", JSON, nullable=False),
)


# --- Sharing: who may do what to which map (mapping.storage.access), and the activity log
# of every change (mapping.storage.activity).

map_access_table = Table(
    "map_access",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("map_id", Integer, ForeignKey("maps.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("deleted_with", Integer, nullable=True, index=True),
    Column("user_email", String(320), nullable=False, index=True),
    Column("role", String(10), nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("map_id", "user_email", name="uq_map_access_map_user"),
)


audit_table = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(320), nullable=False),
    Column("action", String(30), nullable=False),
    Column("map_id", Integer, nullable=True, index=True),
    Column("summary", Text, nullable=False),
)


def content_rows(map_id: int, m: Map) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The map's stakeholder and relationship rows, checked to fit their columns."""
    return (
        item_rows(stakeholders_table, map_id, enumerate(m.stakeholders)),
        item_rows(relationships_table, map_id, enumerate(m.relationships)),
    )


def item_rows(
    table: Table, map_id: int, items: Iterable[tuple[int, Stakeholder | Relationship]]
) -> list[dict[str, Any]]:
    """The rows of ``table`` (stakeholders or relationships) for ``(ordinal, item)`` pairs,
    checked to fit their columns."""
    rows = [
        {"map_id": map_id, "ordinal": i, **to_record(item, iso_dates=False)} for i, item in items
    ]
    noun = "Stakeholder" if table is stakeholders_table else "Relationship"
    check_storable(table, rows, lambda row: f"{noun} {row['id'][:40]!r} (row {row['ordinal'] + 1})")
    return rows


def check_storable(table: Table, rows: list[dict[str, Any]], label: Callable[[dict], str]) -> None:
    """Refuse (``ValidationError``) text longer than its column or holding a NUL character.

    The same rules on SQLite and PostgreSQL, which cannot keep NUL in text and refuses text
    longer than the column; ``label(row)`` names the row in the message.

    >>> check_storable(settings_table, [{"key": "k" * 101, "value": 1}], lambda r: "A setting")
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: A setting: the key is 101 characters long; at most 100 can be kept. Shorten it.
    """
    problems = []
    for row in rows:
        for column in table.c:
            value = row.get(column.name)
            if not isinstance(value, str) or not isinstance(column.type, String):
                continue
            field = column.name.replace("_", " ")
            if "\x00" in value:
                problems.append(
                    f"{label(row)}: the {field} holds a NUL character (code 0), which the "
                    "database cannot keep. Remove it."
                )
            length = column.type.length
            if length and len(value) > length:
                problems.append(
                    f"{label(row)}: the {field} is {len(value)} characters long; at most "
                    f"{length} can be kept. Shorten it."
                )
    if problems:
        raise ValidationError("\n".join(problems))


def _check_positions(m: Map) -> None:
    bad = [k for k, (x, y) in m.positions.items() if not (math.isfinite(x) and math.isfinite(y))]
    if bad:
        msg = f"The place on the map of {', '.join(map(repr, bad))} is not a finite number; "
        msg += "drag them again."
        raise ValidationError(msg)


def header_values(m: Map) -> dict[str, Any]:
    values = {
        "name": m.name,
        "description": m.description,
        "perspectives": list(m.perspectives),
        "relationship_types": list(m.relationship_types),
        "positions": {k: list(v) for k, v in m.positions.items()},
    }
    check_storable(maps_table, [values], lambda _row: "The map")
    _check_positions(m)
    return values


def inserted_id(result: CursorResult[Any]) -> int:
    """The id the database gave the row a single-row ``insert()`` just added."""
    key = result.inserted_primary_key
    if key is None:
        msg = "The database gave the new row no id."
        raise RuntimeError(msg)
    return int(key[0])
