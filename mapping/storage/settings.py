"""Stored settings: the thresholds analysis uses (each map's own), and each user's preferences.

The thresholds are :class:`mapping.model.settings.Settings`. They belong to a map:
its owners and editors change them (through :mod:`mapping.storage.writes`, which checks access),
everyone who can open the map reads them, and a map nobody has tuned uses the defaults.
Preferences (such as whether the welcome was put away) belong to a user, keyed by the
signed-in address, or by :data:`LOCAL_USER` in single-user mode.

The tables are made by the store's migration ``0003_map_settings``, which carried the values
once kept for the whole app into every map and every user.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    delete,
    insert,
    select,
    update,
)

from mapping.model.settings import Settings
from mapping.storage.schema import check_storable, map_settings_table, user_preferences_table

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from mapping.storage.store import Store

__all__ = [
    "LOCAL_USER",
    "map_settings_table",
    "user_preferences_table",
    "map_settings",
    "store_map_settings",
    "copy_map_settings",
    "preferences",
    "save_preference",
]

#: Whose preferences they are in single-user mode (no sign-in).
LOCAL_USER = "single user"


def _now() -> datetime:
    return datetime.now(UTC)


def map_settings(store: Store, map_id: int) -> Settings:
    """The map's thresholds (the defaults until an owner or editor changes them).

    >>> from mapping.model import Map
    >>> from mapping.storage.store import Store
    >>> store = Store("sqlite://")
    >>> a, b = store.create_map(Map(name="A")), store.create_map(Map(name="B"))
    >>> store_map_settings(store, a, Settings(stale_months=6))
    >>> map_settings(store, a).stale_months, map_settings(store, b).stale_months
    (6, 12)
    """
    t = map_settings_table
    with store.transaction() as conn:
        values = conn.execute(select(t.c.settings).where(t.c.map_id == map_id)).scalar()
    return Settings.from_dict(values or {})


def store_map_settings(store: Store, map_id: int, settings: Settings | None) -> None:
    """Keep the map's thresholds (``None``: back to the defaults), without checking access.

    The app changes them only through :class:`mapping.storage.writes.MapWrites`, which first checks
    that the user may change the map.
    """
    t = map_settings_table
    with store.transaction() as conn:
        store.version(map_id)  # NotFoundError for a map that is gone
        if settings is None:
            conn.execute(delete(t).where(t.c.map_id == map_id))
            return
        values = {"settings": settings.to_dict(), "updated_at": _now()}
        if conn.execute(update(t).where(t.c.map_id == map_id).values(**values)).rowcount == 0:
            conn.execute(insert(t).values(map_id=map_id, **values))


def copy_map_settings(conn: Connection, from_map: int, to_map: int) -> None:
    """Give ``to_map`` (a new copy) the thresholds of ``from_map``, inside a transaction."""
    t = map_settings_table
    values = conn.execute(select(t.c.settings).where(t.c.map_id == from_map)).scalar()
    if values is not None:
        conn.execute(insert(t).values(map_id=to_map, settings=values, updated_at=_now()))


def _who(user: str | None) -> str:
    return LOCAL_USER if user is None else str(user).strip().casefold()


def preferences(store: Store, user: str | None) -> dict[str, Any]:
    """The user's own preferences (``user=None``: the single local user).

    >>> from mapping.storage.store import Store
    >>> store = Store("sqlite://")
    >>> save_preference(store, "Alice@example.org", "welcome_dismissed", True)
    >>> preferences(store, "alice@example.org"), preferences(store, "bob@example.org")
    ({'welcome_dismissed': True}, {})
    >>> save_preference(store, "alice@example.org", "welcome_dismissed", None)
    >>> preferences(store, "alice@example.org")
    {}
    """
    t = user_preferences_table
    with store.transaction() as conn:
        rows = conn.execute(select(t.c.key, t.c.value).where(t.c.user_email == _who(user)))
        return {row.key: row.value for row in rows}


def save_preference(store: Store, user: str | None, key: str, value: Any) -> None:
    """Keep one of the user's preferences; ``None`` forgets it. Touches no map."""
    t = user_preferences_table
    who = _who(user)
    row = {"user_email": who, "key": key, "value": value}
    if value is not None:
        check_storable(t, [row], lambda _row: f"The preference {key[:40]!r}")
    with store.transaction() as conn:
        conn.execute(delete(t).where(t.c.user_email == who, t.c.key == key))
        if value is not None:
            conn.execute(insert(t).values(**row))
