"""Storage: maps kept in a SQL database (SQLite by default, or PostgreSQL) via SQLAlchemy 2.

The schema is made and upgraded by the Alembic migrations of :mod:`mapping.storage.migrations` when
a :class:`Store` opens the database. Every public method is one transaction; several calls
become one transaction inside ``with store.transaction():`` (all or nothing). Where the
database is (:func:`default_url`, :func:`engine_url`) is worked out in
:mod:`mapping.storage.database`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import create_engine, delete, event, func, insert, inspect, select, update
from sqlalchemy.engine import Connection, Engine

from mapping.changes.conflicts import conflict_message
from mapping.errors import ConflictError, NotFoundError, ValidationError
from mapping.model import Map, Relationship, Stakeholder, validate_map
from mapping.model.fields import from_record
from mapping.storage import contents, migrations
from mapping.storage.database import (
    DATABASE_URL_VARIABLE,
    default_url,
    engine_url,
    sqlite_pragmas,
)
from mapping.storage.schema import (
    MAP_NAME_LENGTH,
    check_storable,
    content_rows,
    header_values,
    inserted_id,
    maps_table,
    relationships_table,
    settings_table,
    stakeholders_table,
)
from mapping.storage.schema import metadata as metadata  # where other modules have long found it

__all__ = [
    "MapInfo",
    "Store",
    "default_url",
    "engine_url",
    "check_map",
    "unique_name",
    "DATABASE_URL_VARIABLE",
    "DEFAULT_MAP_NAME",
]

#: The name of a new map given none.
DEFAULT_MAP_NAME = "My coalition"
_NAME_LENGTH = MAP_NAME_LENGTH


@dataclass(frozen=True)
class MapInfo:
    """One line of the map list (times in UTC)."""

    id: int
    name: str
    stakeholders: int
    relationships: int
    version: int
    updated_at: datetime
    created_at: datetime | None = None


def unique_name(name: str, taken: Iterable[str]) -> str:
    """``name`` (or :data:`DEFAULT_MAP_NAME` if blank), numbered if a map already has it.

    Names are compared trimmed and in one case; a numbered name keeps within the limit of
    a map's name. A name already too long is left for the checks to refuse.

    >>> unique_name("", [])
    'My coalition'
    >>> unique_name(" My coalition ", ["my coalition", "My coalition 2"])
    'My coalition 3'
    >>> len(unique_name("x" * 300, ["x" * 300]))
    300
    """
    base = name.strip() or DEFAULT_MAP_NAME
    used = {t.strip().casefold() for t in taken}
    if base.casefold() not in used or len(base) > _NAME_LENGTH:
        return base
    n = 2
    while True:
        suffix = f" {n}"
        candidate = base[: _NAME_LENGTH - len(suffix)].rstrip() + suffix
        if candidate.casefold() not in used:
            return candidate
        n += 1


def _rows(m: Map, map_id: int = 0) -> tuple[dict[str, Any], list[dict], list[dict]]:
    validate_map(m)
    values = header_values(m)
    people, ties = content_rows(map_id, m)
    return values, people, ties


def check_map(m: Map) -> None:
    """Every check that creating or saving ``m`` makes (``ValidationError`` naming each
    problem): an import's preview calls it, so it refuses exactly what creating refuses.

    >>> check_map(Map(name="n" * 301))
    Traceback (most recent call last):
    ...
    mapping.errors.ValidationError: The map: the name is 301 characters long; at most 300 can be kept. Shorten it.
    """
    _rows(m)


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    """A time in UTC with its zone (SQLite gives it back without one)."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


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
        sqlite = self.url.startswith("sqlite")
        # a shared server may drop idle connections: check each before use
        self.engine: Engine = create_engine(engine_url(self.url), pool_pre_ping=not sqlite)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", sqlite_pragmas)
        self._local = threading.local()
        #: Whether this database had never held Coalition Mapper's tables before.
        self.fresh = not inspect(self.engine).has_table(maps_table.name)
        migrations.upgrade(self.engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction, joined by every store call made inside it (in this thread).

        Everything done inside is committed together at the end, or nothing if an error
        leaves the block.

        >>> store = Store("sqlite://")
        >>> try:
        ...     with store.transaction():
        ...         _ = store.create_map(Map(name="Half-way"))
        ...         raise RuntimeError("the power went")
        ... except RuntimeError:
        ...     pass
        >>> store.list_maps()
        []
        """
        joined = getattr(self._local, "conn", None)
        if joined is not None:
            yield joined
            return
        with self.engine.begin() as conn:
            self._local.conn = conn
            try:
                yield conn
            finally:
                self._local.conn = None

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
                maps_table.c.created_at,
            )
            .outerjoin(people, people.c.map_id == maps_table.c.id)
            .outerjoin(ties, ties.c.map_id == maps_table.c.id)
            .order_by(maps_table.c.updated_at.desc(), maps_table.c.id.desc())
        )
        with self.transaction() as conn:
            return [
                MapInfo(row[0], row[1], row[2], row[3], row[4], _aware(row[5]), _aware(row[6]))
                for row in conn.execute(query)
            ]

    def create_map(self, m: Map) -> int:
        """Store a new map and return its id."""
        return self.insert_map(m)

    def insert_map(
        self,
        m: Map,
        *,
        version: int = 1,
        created_at: datetime | None = None,
        updated_at: datetime | None = None,
    ) -> int:
        """Store a new map with a given version and times (as kept in a backup); return its id."""
        values, people, ties = _rows(m)
        now = _now()
        with self.transaction() as conn:
            map_id = inserted_id(
                conn.execute(
                    insert(maps_table).values(
                        **values,
                        version=version,
                        created_at=created_at or now,
                        updated_at=updated_at or created_at or now,
                    )
                )
            )
            contents.write_rows(conn, map_id, people, ties)
        return map_id

    def _header(self, conn: Connection, map_id: int) -> Any:
        row = conn.execute(select(maps_table).where(maps_table.c.id == map_id)).first()
        if row is None:
            msg = f"There is no map with id {map_id}; it may have been deleted."
            raise NotFoundError(msg)
        return row

    def version(self, map_id: int) -> int:
        """The map's version, raised by one at every save."""
        with self.transaction() as conn:
            return int(self._header(conn, map_id).version)

    def stamp(self, map_id: int) -> tuple[int, str]:
        """The map's version and the time of its last save: together they tell one stored
        state of the map from any other, even across a deletion or a restore that reused
        its id (a cache key)."""
        with self.transaction() as conn:
            header = self._header(conn, map_id)
            return int(header.version), _aware(header.updated_at).isoformat()

    def load_map(self, map_id: int) -> Map:
        """The stored map (``NotFoundError`` if there is none)."""
        with self.transaction() as conn:
            return self._load(conn, map_id)

    def _load(self, conn: Connection, map_id: int) -> Map:
        header = self._header(conn, map_id)
        people = conn.execute(
            select(stakeholders_table)
            .where(stakeholders_table.c.map_id == map_id)
            .order_by(stakeholders_table.c.ordinal)
        ).mappings()
        stakeholders = tuple(from_record(Stakeholder, row) for row in people)
        ties = conn.execute(
            select(relationships_table)
            .where(relationships_table.c.map_id == map_id)
            .order_by(relationships_table.c.ordinal)
        ).mappings()
        relationships = tuple(from_record(Relationship, row) for row in ties)
        return Map(
            name=header.name,
            description=header.description,
            perspectives=tuple(header.perspectives),
            relationship_types=tuple(header.relationship_types),
            stakeholders=stakeholders,
            relationships=relationships,
            positions={k: tuple(v) for k, v in header.positions.items()},
        )

    def save_map(
        self,
        map_id: int,
        m: Map,
        *,
        expected_version: int | None = None,
        base: Map | None = None,
    ) -> int:
        """Replace the stored map with ``m`` in one transaction; return the new version.

        With ``expected_version``, refuse (``ConflictError``) if someone saved in between;
        with ``base`` too (the map as stored at that version, as the user loaded it), the
        message names every field that was changed on both sides, with both values, and a
        save writes only the rows that differ from ``base``.
        """
        # with the map as stored at ``expected_version``, only the rows that differ are
        # written (and checked): a save that changed one cell rewrites one row
        stored = base if expected_version is not None else None
        validate_map(m)
        values = header_values(m)
        people, ties = ([], []) if stored is not None else content_rows(map_id, m)
        with self.transaction() as conn:
            header = self._header(conn, map_id)
            if expected_version is None or header.version == expected_version:
                new_version = header.version + 1
                result = conn.execute(
                    update(maps_table)
                    .where(maps_table.c.id == map_id, maps_table.c.version == header.version)
                    .values(**values, version=new_version, updated_at=_now())
                )
                if result.rowcount == 1:
                    if stored is not None:
                        contents.write_changes(conn, map_id, stored, m)
                        return new_version
                    conn.execute(
                        delete(relationships_table).where(relationships_table.c.map_id == map_id)
                    )
                    conn.execute(
                        delete(stakeholders_table).where(stakeholders_table.c.map_id == map_id)
                    )
                    contents.write_rows(conn, map_id, people, ties)
                    return new_version
                header = self._header(conn, map_id)
            theirs = self._load(conn, map_id) if base is not None else None
            msg = conflict_message(
                header.name,
                expected_version if expected_version is not None else header.version - 1,
                header.version,
                base,
                m,
                theirs,
            )
            raise ConflictError(msg)

    def rename_map(self, map_id: int, name: str) -> None:
        """Give a map a new name."""
        name = name.strip()
        if not name:
            msg = "A map needs a name; type one in."
            raise ValidationError(msg)
        check_storable(maps_table, [{"name": name}], lambda _row: "The map")
        with self.transaction() as conn:
            header = self._header(conn, map_id)
            conn.execute(
                update(maps_table)
                .where(maps_table.c.id == map_id)
                .values(name=name, version=header.version + 1, updated_at=_now())
            )

    def duplicate_map(self, map_id: int, name: str | None = None) -> int:
        """Copy a map under a new name (default "Copy of …"); return the copy's id."""
        with self.transaction():
            m = self.load_map(map_id)
            return self.create_map(replace(m, name=name or f"Copy of {m.name}"[:300]))

    def load_settings(self) -> dict[str, Any]:
        """The app's saved settings (names to values); empty until something is saved."""
        with self.transaction() as conn:
            return {row.key: row.value for row in conn.execute(select(settings_table))}

    def save_settings(self, values: dict[str, Any]) -> None:
        """Replace the app's saved settings in one transaction."""
        rows = [{"key": k, "value": v} for k, v in values.items()]
        check_storable(settings_table, rows, lambda row: f"The setting {row['key'][:40]!r}")
        with self.transaction() as conn:
            conn.execute(delete(settings_table))
            if rows:
                conn.execute(insert(settings_table), rows)

    def delete_map(self, map_id: int) -> None:
        """Delete a map and everything in it."""
        with self.transaction() as conn:
            self._header(conn, map_id)
            conn.execute(delete(relationships_table).where(relationships_table.c.map_id == map_id))
            conn.execute(delete(stakeholders_table).where(stakeholders_table.c.map_id == map_id))
            conn.execute(delete(maps_table).where(maps_table.c.id == map_id))
