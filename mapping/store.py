"""Storage: maps kept in a SQL database (SQLite by default) through SQLAlchemy 2."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine

from mapping.errors import ConflictError, NotFoundError, ValidationError
from mapping.model import Map, Relationship, Stakeholder, validate_map

__all__ = ["MapInfo", "Store", "default_url", "DATABASE_URL_VARIABLE"]

DATABASE_URL_VARIABLE = "MAPPING_DATABASE_URL"

metadata = MetaData()

maps_table = Table(
    "maps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(300), nullable=False),
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


def default_url() -> str:
    """``MAPPING_DATABASE_URL`` if set, else a SQLite file in the user's data directory."""
    url = os.environ.get(DATABASE_URL_VARIABLE, "").strip()
    if url:
        return url
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    folder = base / "coalition-mapper"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'maps.db'}"


@dataclass(frozen=True)
class MapInfo:
    """One line of the map list."""

    id: int
    name: str
    stakeholders: int
    relationships: int
    version: int
    updated_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


def _stakeholder_rows(map_id: int, m: Map) -> list[dict[str, Any]]:
    return [
        {
            "map_id": map_id,
            "id": s.id,
            "ordinal": i,
            "name": s.name,
            "organisation": s.organisation,
            "role": s.role,
            "perspective": s.perspective,
            "influence": s.influence,
            "interest": s.interest,
            "stance": s.stance.value,
            "coalition": s.coalition,
            "notes": s.notes,
            "tags": list(s.tags),
            "review_by": s.review_by,
            "custom": dict(s.custom),
        }
        for i, s in enumerate(m.stakeholders)
    ]


def _relationship_rows(map_id: int, m: Map) -> list[dict[str, Any]]:
    return [
        {
            "map_id": map_id,
            "id": r.id,
            "ordinal": i,
            "source": r.source,
            "target": r.target,
            "type": r.type,
            "strength": r.strength,
            "directed": r.directed,
            "how_we_know": r.how_we_know,
            "last_confirmed": r.last_confirmed,
            "notes": r.notes,
            "custom": dict(r.custom),
        }
        for i, r in enumerate(m.relationships)
    ]


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


class Store:
    """Many maps in one database; every public method is one transaction.

    >>> store = Store("sqlite://")
    >>> map_id = store.create_map(Map(name="Discharge programme"))
    >>> store.load_map(map_id).name
    'Discharge programme'
    >>> [info.name for info in store.list_maps()]
    ['Discharge programme']
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.engine: Engine = create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        #: Whether this database had never held Coalition Mapper's tables before.
        self.fresh = not inspect(self.engine).has_table(maps_table.name)
        metadata.create_all(self.engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    def list_maps(self) -> list[MapInfo]:
        """Every map, most recently changed first."""
        people = (
            select(stakeholders_table.c.map_id, func.count().label("n"))
            .group_by(stakeholders_table.c.map_id)
            .subquery()
        )
        ties = (
            select(relationships_table.c.map_id, func.count().label("n"))
            .group_by(relationships_table.c.map_id)
            .subquery()
        )
        query = (
            select(
                maps_table.c.id,
                maps_table.c.name,
                func.coalesce(people.c.n, 0),
                func.coalesce(ties.c.n, 0),
                maps_table.c.version,
                maps_table.c.updated_at,
            )
            .outerjoin(people, people.c.map_id == maps_table.c.id)
            .outerjoin(ties, ties.c.map_id == maps_table.c.id)
            .order_by(maps_table.c.updated_at.desc(), maps_table.c.id.desc())
        )
        with self._transaction() as conn:
            return [MapInfo(*row) for row in conn.execute(query)]

    def create_map(self, m: Map) -> int:
        """Store a new map and return its id."""
        validate_map(m)
        now = _now()
        with self._transaction() as conn:
            map_id = conn.execute(
                insert(maps_table).values(
                    name=m.name,
                    description=m.description,
                    perspectives=list(m.perspectives),
                    relationship_types=list(m.relationship_types),
                    positions={k: list(v) for k, v in m.positions.items()},
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
            ).inserted_primary_key[0]
            self._write_contents(conn, map_id, m)
        return int(map_id)

    def _write_contents(self, conn: Connection, map_id: int, m: Map) -> None:
        people = _stakeholder_rows(map_id, m)
        ties = _relationship_rows(map_id, m)
        if people:
            conn.execute(insert(stakeholders_table), people)
        if ties:
            conn.execute(insert(relationships_table), ties)

    def _header(self, conn: Connection, map_id: int) -> Any:
        row = conn.execute(select(maps_table).where(maps_table.c.id == map_id)).first()
        if row is None:
            msg = f"There is no map with id {map_id}; it may have been deleted."
            raise NotFoundError(msg)
        return row

    def version(self, map_id: int) -> int:
        """The map's version, raised by one at every save."""
        with self._transaction() as conn:
            return int(self._header(conn, map_id).version)

    def load_map(self, map_id: int) -> Map:
        """The stored map (``NotFoundError`` if there is none)."""
        with self._transaction() as conn:
            header = self._header(conn, map_id)
            people = conn.execute(
                select(stakeholders_table)
                .where(stakeholders_table.c.map_id == map_id)
                .order_by(stakeholders_table.c.ordinal)
            ).mappings()
            stakeholders = tuple(
                Stakeholder(
                    id=row["id"],
                    name=row["name"],
                    organisation=row["organisation"],
                    role=row["role"],
                    perspective=row["perspective"],
                    influence=row["influence"],
                    interest=row["interest"],
                    stance=row["stance"],
                    coalition=bool(row["coalition"]),
                    notes=row["notes"],
                    tags=tuple(row["tags"]),
                    review_by=_as_date(row["review_by"]),
                    custom=row["custom"],
                )
                for row in people
            )
            ties = conn.execute(
                select(relationships_table)
                .where(relationships_table.c.map_id == map_id)
                .order_by(relationships_table.c.ordinal)
            ).mappings()
            relationships = tuple(
                Relationship(
                    id=row["id"],
                    source=row["source"],
                    target=row["target"],
                    type=row["type"],
                    strength=row["strength"],
                    directed=bool(row["directed"]),
                    how_we_know=row["how_we_know"],
                    last_confirmed=_as_date(row["last_confirmed"]),
                    notes=row["notes"],
                    custom=row["custom"],
                )
                for row in ties
            )
        return Map(
            name=header.name,
            description=header.description,
            perspectives=tuple(header.perspectives),
            relationship_types=tuple(header.relationship_types),
            stakeholders=stakeholders,
            relationships=relationships,
            positions={k: tuple(v) for k, v in header.positions.items()},
        )

    def save_map(self, map_id: int, m: Map, *, expected_version: int | None = None) -> int:
        """Replace the stored map with ``m`` in one transaction; return the new version.

        With ``expected_version``, refuse (``ConflictError``) if someone saved in between.
        """
        validate_map(m)
        with self._transaction() as conn:
            header = self._header(conn, map_id)
            if expected_version is not None and header.version != expected_version:
                msg = (
                    f"The map {header.name!r} was changed by someone else since you opened it "
                    f"(version {expected_version} → {header.version}). Reload it and make "
                    "your change again."
                )
                raise ConflictError(msg)
            new_version = header.version + 1
            result = conn.execute(
                update(maps_table)
                .where(maps_table.c.id == map_id, maps_table.c.version == header.version)
                .values(
                    name=m.name,
                    description=m.description,
                    perspectives=list(m.perspectives),
                    relationship_types=list(m.relationship_types),
                    positions={k: list(v) for k, v in m.positions.items()},
                    version=new_version,
                    updated_at=_now(),
                )
            )
            if result.rowcount != 1:
                msg = f"The map {header.name!r} was changed by someone else; reload it."
                raise ConflictError(msg)
            conn.execute(delete(relationships_table).where(relationships_table.c.map_id == map_id))
            conn.execute(delete(stakeholders_table).where(stakeholders_table.c.map_id == map_id))
            self._write_contents(conn, map_id, m)
        return new_version

    def rename_map(self, map_id: int, name: str) -> None:
        """Give a map a new name."""
        name = name.strip()
        if not name:
            msg = "A map needs a name; type one in."
            raise ValidationError(msg)
        with self._transaction() as conn:
            header = self._header(conn, map_id)
            conn.execute(
                update(maps_table)
                .where(maps_table.c.id == map_id)
                .values(name=name, version=header.version + 1, updated_at=_now())
            )

    def duplicate_map(self, map_id: int, name: str | None = None) -> int:
        """Copy a map under a new name (default "Copy of …"); return the copy's id."""
        m = self.load_map(map_id)
        return self.create_map(replace(m, name=name or f"Copy of {m.name}"))

    def load_settings(self) -> dict[str, Any]:
        """The app's saved settings (names to values); empty until something is saved."""
        with self._transaction() as conn:
            return {row.key: row.value for row in conn.execute(select(settings_table))}

    def save_settings(self, values: dict[str, Any]) -> None:
        """Replace the app's saved settings in one transaction."""
        with self._transaction() as conn:
            conn.execute(delete(settings_table))
            if values:
                conn.execute(
                    insert(settings_table), [{"key": k, "value": v} for k, v in values.items()]
                )

    def delete_map(self, map_id: int) -> None:
        """Delete a map and everything in it."""
        with self._transaction() as conn:
            self._header(conn, map_id)
            conn.execute(delete(relationships_table).where(relationships_table.c.map_id == map_id))
            conn.execute(delete(stakeholders_table).where(stakeholders_table.c.map_id == map_id))
            conn.execute(delete(maps_table).where(maps_table.c.id == map_id))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
