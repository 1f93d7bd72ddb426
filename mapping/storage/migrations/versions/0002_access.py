"""Access and audit: who may see and change each map, and a trail of who did what.

``map_access`` holds each person's role on a map (owner, editor, viewer); a deleted map's rows
keep ``deleted_with`` (its last snapshot) so that only its owners see it among deleted maps.
``audit`` records actions in words that never name a stakeholder. Only missing tables are
created, so a database where the app made them before migrations is left as it is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["upgrade", "downgrade"]

# Revision ids are fixed by hand (NNNN_what), never generated.
revision = "0002_access"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def _tables() -> dict[str, tuple[tuple, tuple[str, ...]]]:
    """Each table's columns and constraints, and its indexed columns, in creation order."""
    tz = sa.DateTime(timezone=True)
    return {
        "map_access": (
            (
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column(
                    "map_id",
                    sa.Integer,
                    sa.ForeignKey("maps.id", ondelete="CASCADE"),
                    nullable=True,
                ),
                sa.Column("deleted_with", sa.Integer, nullable=True),
                sa.Column("user_email", sa.String(320), nullable=False),
                sa.Column("role", sa.String(10), nullable=False),
                sa.Column("granted_at", tz, nullable=False),
                sa.UniqueConstraint("map_id", "user_email", name="uq_map_access_map_user"),
            ),
            ("map_id", "deleted_with", "user_email"),
        ),
        "audit": (
            (
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("at", tz, nullable=False),
                sa.Column("actor", sa.String(320), nullable=False),
                sa.Column("action", sa.String(30), nullable=False),
                sa.Column("map_id", sa.Integer, nullable=True),
                sa.Column("summary", sa.Text, nullable=False),
            ),
            ("map_id",),
        ),
    }


def upgrade() -> None:
    """Create the access and audit tables if the database does not have them."""
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, (parts, indexed) in _tables().items():
        if name in existing:
            continue
        op.create_table(name, *parts)
        for column in indexed:
            op.create_index(f"ix_{name}_{column}", name, [column])


def downgrade() -> None:
    """Drop the access and audit tables (every share and the audit trail go with them)."""
    for name in reversed(_tables()):
        op.drop_table(name)
