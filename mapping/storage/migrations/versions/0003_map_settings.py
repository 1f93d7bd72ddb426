"""Settings per map and preferences per user, carrying over the values once kept for the app.

Before this revision the thresholds behind the findings and the "welcome put away" flag were
one set for the whole app (the ``settings`` table), so any user could change every map's
findings. ``map_settings`` holds each map's thresholds (a deleted map's wait beside its
history under ``deleted_with``) and ``user_preferences`` each user's own choices.

The upgrade copies the thresholds found in ``settings`` (each under its own name, as the app
kept them, or inside a ``thresholds`` entry) into every map, and the welcome flag to every
user the database knows (everyone a map was shared with, and the single local user). The
``settings`` rows are left as they were, so a downgrade gives back exactly the old behaviour.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

__all__ = ["upgrade", "downgrade", "carried_thresholds"]

# Revision ids are fixed by hand (NNNN_what), never generated.
revision = "0003_map_settings"
down_revision = "0002_access"
branch_labels = None
depends_on = None

# Frozen here as they were at this revision: later changes to the app must not change what
# this migration did.
THRESHOLDS = ("stale_months", "high_influence", "strong_tie", "high_interest", "recruit_top")
ON_SCALE = ("high_influence", "strong_tie", "high_interest")
WELCOME = "welcome_dismissed"
LOCAL_USER = "single user"


def carried_thresholds(saved: dict[str, Any]) -> dict[str, int]:
    """The valid thresholds among the app's saved settings; a value under its own name wins
    over the same one inside a ``thresholds`` entry.

    >>> carried_thresholds({"thresholds": {"strong_tie": 4, "stale_months": 0}, "recruit_top": 8})
    {'strong_tie': 4, 'recruit_top': 8}
    """
    nested = saved.get("thresholds")
    found = {**(nested if isinstance(nested, dict) else {}), **saved}
    kept = {}
    for name in THRESHOLDS:
        value = found.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            continue
        if name in ON_SCALE and value > 5:
            continue
        kept[name] = value
    return kept


def _tables() -> dict[str, tuple]:
    """Each table's columns and constraints."""
    return {
        "map_settings": (
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column(
                "map_id", sa.Integer, sa.ForeignKey("maps.id", ondelete="CASCADE"), nullable=True
            ),
            sa.Column("deleted_with", sa.Integer, nullable=True),
            sa.Column("settings", sa.JSON, nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.UniqueConstraint("map_id", name="uq_map_settings_map"),
        ),
        "user_preferences": (
            sa.Column("user_email", sa.String(320), primary_key=True),
            sa.Column("key", sa.String(100), primary_key=True),
            sa.Column("value", sa.JSON, nullable=False),
        ),
    }


def upgrade() -> None:
    """Create the two tables (if missing) and carry the app-wide values into every map and
    user; a database where the app made them before migrations is left as it is."""
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    made = {}
    for name, parts in _tables().items():
        if name not in existing:
            made[name] = op.create_table(name, *parts)
    if "map_settings" in made:
        op.create_index("ix_map_settings_deleted_with", "map_settings", ["deleted_with"])
    meta = sa.MetaData()
    settings = sa.Table("settings", meta, autoload_with=bind)
    saved = {row.key: row.value for row in bind.execute(sa.select(settings))}
    thresholds = carried_thresholds(saved)
    if thresholds and "map_settings" in made:
        maps = sa.Table("maps", meta, autoload_with=bind)
        now = datetime.now(UTC)
        map_ids: list[int] = list(bind.execute(sa.select(maps.c.id).order_by(maps.c.id)).scalars())
        rows = [{"map_id": map_id, "settings": thresholds, "updated_at": now} for map_id in map_ids]
        if rows:
            bind.execute(sa.insert(made["map_settings"]), rows)
    if saved.get(WELCOME) is True and "user_preferences" in made:
        access = sa.Table("map_access", meta, autoload_with=bind)
        users = {LOCAL_USER, *bind.execute(sa.select(access.c.user_email).distinct()).scalars()}
        bind.execute(
            sa.insert(made["user_preferences"]),
            [{"user_email": u, "key": WELCOME, "value": True} for u in sorted(users)],
        )


def downgrade() -> None:
    """Drop the two tables (the app-wide ``settings`` rows were never touched)."""
    op.drop_table("user_preferences")
    op.drop_index("ix_map_settings_deleted_with", table_name="map_settings")
    op.drop_table("map_settings")
