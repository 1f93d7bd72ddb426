"""Raters' views kept with a map: save, list and forget the ratings of several people."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from mapping.changes.ratings import Rating
from mapping.storage.schema import check_storable, ratings_table
from mapping.storage.store import Store

__all__ = ["save_rating", "list_ratings", "delete_ratings", "raters"]


def _now() -> datetime:
    return datetime.now(UTC)


def save_rating(store: Store, map_id: int, rating: Rating) -> None:
    """Keep one rater's view, replacing their earlier view of the same field."""
    t = ratings_table
    value = getattr(rating.value, "value", rating.value)
    row = {"rater": rating.rater, "subject": rating.subject, "field": rating.field}
    check_storable(
        t, [{**row, "value": str(value)}], lambda _row: f"The rating by {rating.rater[:40]!r}"
    )
    with store.transaction() as conn:
        store.version(map_id)
        earlier = _by_rater(
            conn,
            rating.rater,
            t.c.map_id == map_id,
            t.c.subject == rating.subject,
            t.c.field == rating.field,
        )
        if earlier:
            conn.execute(delete(t).where(t.c.id.in_(earlier)))
        conn.execute(
            insert(t).values(
                map_id=map_id,
                rater=rating.rater,
                subject=rating.subject,
                field=rating.field,
                value=str(value),
                rated_at=_now(),
            )
        )


def list_ratings(store: Store, map_id: int) -> list[Rating]:
    """Every rater's views of the map, in the order they were given."""
    t = ratings_table
    with store.transaction() as conn:
        rows = conn.execute(select(t).where(t.c.map_id == map_id).order_by(t.c.id)).all()
    return [Rating(row.rater, row.subject, row.field, row.value) for row in rows]


def delete_ratings(
    store: Store, map_id: int, *, rater: str | None = None, subject: str | None = None
) -> int:
    """Forget ratings of the map, by one rater and/or of one subject; return how many."""
    t = ratings_table
    where = [t.c.map_id == map_id]
    if subject is not None:
        where.append(t.c.subject == subject)
    with store.transaction() as conn:
        if rater is None:
            return int(conn.execute(delete(t).where(*where)).rowcount)
        ids = _by_rater(conn, rater, *where)
        if ids:
            conn.execute(delete(t).where(t.c.id.in_(ids)))
        return len(ids)


def _by_rater(conn: Connection, rater: str, *where: Any) -> list[int]:
    """Ids of the ratings matching ``where`` given by ``rater`` in any case.

    Cases are compared here rather than with SQL ``lower()``, which folds only ASCII letters
    on SQLite: "ÉLODIE" and "Élodie" are the same rater on both databases.
    """
    t = ratings_table
    wanted = rater.strip().casefold()
    rows = conn.execute(select(t.c.id, t.c.rater).where(*where))
    return [row.id for row in rows if row.rater.strip().casefold() == wanted]


def raters(store: Store, map_id: int) -> list[str]:
    """Everyone who has rated something on the map (any case), in the order they first did.

    >>> from mapping.model import Map, Stakeholder
    >>> store = Store("sqlite://")
    >>> map_id = store.create_map(Map("M", stakeholders=(Stakeholder("cat", "Cat"),)))
    >>> save_rating(store, map_id, Rating("Council", "cat", "stance", "opposed"))
    >>> save_rating(store, map_id, Rating("Clinical lead", "cat", "stance", "supporter"))
    >>> raters(store, map_id)
    ['Council', 'Clinical lead']
    """
    seen: dict[str, str] = {}
    for r in list_ratings(store, map_id):
        seen.setdefault(r.rater.casefold(), r.rater)
    return list(seen.values())
