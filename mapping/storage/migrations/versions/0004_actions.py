"""The engagement plan: each map's planned actions (``map_actions``).

One row per action, keyed by the map and the action's own id; the action itself (what, who,
when, the expected change, its notes) is kept as JSON in ``data``, read and checked by
:class:`mapping.model.actions.PlannedAction`. Deleting a map deletes its plan.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["upgrade", "downgrade"]

# Revision ids are fixed by hand (NNNN_what), never generated.
revision = "0004_actions"
down_revision = "0003_map_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table (if missing)."""
    if "map_actions" in set(sa.inspect(op.get_bind()).get_table_names()):
        return
    op.create_table(
        "map_actions",
        sa.Column(
            "map_id",
            sa.Integer,
            sa.ForeignKey("maps.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("map_actions")
