"""Settings: the thresholds analysis uses (each map's own), and each user's preferences.

:class:`Settings` declares the thresholds as data with their help text. They belong to a map:
its owners and editors change them (through :mod:`mapping.writes`, which checks access),
everyone who can open the map reads them, and a map nobody has tuned uses the defaults.
Preferences (such as whether the welcome was put away) belong to a user, keyed by the
signed-in address, or by :data:`LOCAL_USER` in single-user mode.

The tables are made by the store's migration ``0003_map_settings``, which carried the values
once kept for the whole app into every map and every user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
    delete,
    insert,
    select,
    update,
)

from mapping.errors import ValidationError
from mapping.tables import check_storable, metadata

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from mapping.store import Store

__all__ = [
    "SETTING_HELP",
    "SETTING_LABELS",
    "Settings",
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


@dataclass(frozen=True)
class Settings:
    """Thresholds that shape the findings; every field is documented in ``SETTING_HELP``.

    >>> Settings().stale_months
    12
    """

    stale_months: int = 12
    high_influence: int = 4
    strong_tie: int = 3
    high_interest: int = 4
    recruit_top: int = 5

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                msg = (
                    f"Setting '{SETTING_LABELS[f.name]}' must be a whole number of at least 1, "
                    f"got {value!r}."
                )
                raise ValidationError(msg)
        for name in ("high_influence", "strong_tie", "high_interest"):
            if getattr(self, name) > 5:
                msg = f"Setting '{SETTING_LABELS[name]}' is on the 1-5 scale; choose 1 to 5."
                raise ValidationError(msg)

    def to_dict(self) -> dict[str, int]:
        """Plain values, for storing."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Settings:
        """Settings from stored values; unknown names are ignored, missing ones default.

        >>> Settings.from_dict({"stale_months": 6, "retired": 1}).stale_months
        6
        """
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


SETTING_LABELS: dict[str, str] = {
    "stale_months": "Stale after (months)",
    "high_influence": "Key player from influence",
    "strong_tie": "Strong tie from strength",
    "high_interest": "High interest from",
    "recruit_top": "Suggestions to bring in",
}

SETTING_HELP: dict[str, str] = {
    "stale_months": "A relationship not confirmed for this many months counts as stale.",
    "high_influence": "Stakeholders rated at least this influence (1-5) count as key players.",
    "strong_tie": "A relationship of at least this strength (1-5) counts as strong.",
    "high_interest": "Stakeholders rated at least this interest (1-5) count as highly interested.",
    "recruit_top": "How many people the 'who to bring in next' list suggests.",
}

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


def _now() -> datetime:
    return datetime.now(UTC)


def map_settings(store: Store, map_id: int) -> Settings:
    """The map's thresholds (the defaults until an owner or editor changes them).

    >>> from mapping.model import Map
    >>> from mapping.store import Store
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

    The app changes them only through :class:`mapping.writes.MapWrites`, which first checks
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

    >>> from mapping.store import Store
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
