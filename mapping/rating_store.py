"""Raters' views kept with a map: save, list and forget the ratings of several people."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select

from mapping.history import ensure_tables, ratings_table
from mapping.ratings import Rating
from mapping.store import Store

__all__ = ["save_rating", "list_ratings", "delete_ratings", "raters"]


def _now() -> datetime:
    return datetime.now(UTC)


def save_rating(store: Store, map_id: int, rating: Rating) -> None:
    """Keep one rater's view, replacing their earlier view of the same field."""
    ensure_tables(store)
    store.version(map_id)
    t = ratings_table
    value = getattr(rating.value, "value", rating.value)
    with store.engine.begin() as conn:
        conn.execute(
            delete(t).where(
                t.c.map_id == map_id,
                func.lower(t.c.rater) == rating.rater.lower(),
                t.c.subject == rating.subject,
                t.c.field == rating.field,
            )
        )
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
    ensure_tables(store)
    t = ratings_table
    with store.engine.begin() as conn:
        rows = conn.execute(select(t).where(t.c.map_id == map_id).order_by(t.c.id)).all()
    return [Rating(row.rater, row.subject, row.field, row.value) for row in rows]


def delete_ratings(
    store: Store, map_id: int, *, rater: str | None = None, subject: str | None = None
) -> int:
    """Forget ratings of the map, by one rater and/or of one subject; return how many."""
    ensure_tables(store)
    t = ratings_table
    where = [t.c.map_id == map_id]
    if rater is not None:
        where.append(func.lower(t.c.rater) == rater.strip().lower())
    if subject is not None:
        where.append(t.c.subject == subject)
    with store.engine.begin() as conn:
        return int(conn.execute(delete(t).where(*where)).rowcount)


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
