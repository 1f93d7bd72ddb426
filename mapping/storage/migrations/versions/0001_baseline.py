"""The first released schema: maps, their people and ties, settings, and their history.

A database made before migrations existed already holds some of these tables (the history
tables came later, so it may lack them): only the missing ones are created, with their
indexes, and nothing in the existing ones is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

__all__ = ["upgrade", "downgrade"]

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def _map_column() -> sa.Column:
    return sa.Column("map_id", sa.Integer, sa.ForeignKey("maps.id", ondelete="SET NULL"))


def _tables() -> dict[str, tuple[tuple, tuple[str, ...]]]:
    """Each table's columns and constraints, and its indexed columns, in creation order."""
    tz = sa.DateTime(timezone=True)
    return {
        "maps": (
            (
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                sa.Column("name", sa.String(300), nullable=False),
                sa.Column("description", sa.Text, nullable=False),
                sa.Column("perspectives", sa.JSON, nullable=False),
                sa.Column("relationship_types", sa.JSON, nullable=False),
                sa.Column("positions", sa.JSON, nullable=False),
                sa.Column("version", sa.Integer, nullable=False),
                sa.Column("created_at", tz, nullable=False),
                sa.Column("updated_at", tz, nullable=False),
            ),
            (),
        ),
        "stakeholders": (
            (
                sa.Column(
                    "map_id",
                    sa.Integer,
                    sa.ForeignKey("maps.id", ondelete="CASCADE"),
                    primary_key=True,
                ),
                sa.Column("id", sa.String(200), primary_key=True),
                sa.Column("ordinal", sa.Integer, nullable=False),
                sa.Column("name", sa.String(500), nullable=False),
                sa.Column("organisation", sa.String(500), nullable=False),
                sa.Column("role", sa.String(500), nullable=False),
                sa.Column("perspective", sa.String(200), nullable=False),
                sa.Column("influence", sa.Integer, nullable=False),
                sa.Column("interest", sa.Integer, nullable=False),
                sa.Column("stance", sa.String(20), nullable=False),
                sa.Column("coalition", sa.Boolean, nullable=False),
                sa.Column("notes", sa.Text, nullable=False),
                sa.Column("tags", sa.JSON, nullable=False),
                sa.Column("review_by", sa.Date, nullable=True),
                sa.Column("custom", sa.JSON, nullable=False),
            ),
            (),
        ),
        "relationships": (
            (
                sa.Column(
                    "map_id",
                    sa.Integer,
                    sa.ForeignKey("maps.id", ondelete="CASCADE"),
                    primary_key=True,
                ),
                sa.Column("id", sa.String(200), primary_key=True),
                sa.Column("ordinal", sa.Integer, nullable=False),
                sa.Column("source", sa.String(200), nullable=False),
                sa.Column("target", sa.String(200), nullable=False),
                sa.Column("type", sa.String(200), nullable=False),
                sa.Column("strength", sa.Integer, nullable=False),
                sa.Column("directed", sa.Boolean, nullable=False),
                sa.Column("how_we_know", sa.Text, nullable=False),
                sa.Column("last_confirmed", sa.Date, nullable=True),
                sa.Column("notes", sa.Text, nullable=False),
                sa.Column("custom", sa.JSON, nullable=False),
                sa.ForeignKeyConstraint(
                    ["map_id", "source"],
                    ["stakeholders.map_id", "stakeholders.id"],
                    ondelete="CASCADE",
                ),
                sa.ForeignKeyConstraint(
                    ["map_id", "target"],
                    ["stakeholders.map_id", "stakeholders.id"],
                    ondelete="CASCADE",
                ),
            ),
            (),
        ),
        "settings": (
            (
                sa.Column("key", sa.String(100), primary_key=True),
                sa.Column("value", sa.JSON, nullable=False),
            ),
            (),
        ),
        "snapshots": (
            (
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                _map_column(),
                sa.Column("deleted_with", sa.Integer, nullable=True),
                sa.Column("name", sa.String(300), nullable=False),
                sa.Column("reason", sa.String(30), nullable=False),
                sa.Column("taken_at", tz, nullable=False),
                sa.Column("map_version", sa.Integer, nullable=True),
                sa.Column("map_name", sa.String(300), nullable=False),
                sa.Column("stakeholders", sa.Integer, nullable=False),
                sa.Column("relationships", sa.Integer, nullable=False),
                sa.Column("content", sa.Text, nullable=False),
                sa.Column("digest", sa.String(64), nullable=False),
                sa.Column("figures", sa.JSON, nullable=True),
            ),
            ("map_id", "deleted_with"),
        ),
        "reflections": (
            (
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                _map_column(),
                sa.Column("deleted_with", sa.Integer, nullable=True),
                sa.Column(
                    "snapshot_id",
                    sa.Integer,
                    sa.ForeignKey("snapshots.id", ondelete="SET NULL"),
                ),
                sa.Column("written_on", sa.Date, nullable=False),
                sa.Column("written_at", tz, nullable=False),
                sa.Column("author", sa.String(20), nullable=False),
                sa.Column("prompt", sa.Text, nullable=False),
                sa.Column("text", sa.Text, nullable=False),
                sa.Column("in_report", sa.Boolean, nullable=False),
            ),
            ("map_id", "deleted_with"),
        ),
        "ratings": (
            (
                sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                _map_column(),
                sa.Column("deleted_with", sa.Integer, nullable=True),
                sa.Column("rater", sa.String(200), nullable=False),
                sa.Column("subject", sa.String(200), nullable=False),
                sa.Column("field", sa.String(20), nullable=False),
                sa.Column("value", sa.String(20), nullable=False),
                sa.Column("rated_at", tz, nullable=False),
            ),
            ("map_id", "deleted_with"),
        ),
    }


def upgrade() -> None:
    """Create each table of the first released schema that the database does not have."""
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, (parts, indexed) in _tables().items():
        if name in existing:
            continue
        op.create_table(name, *parts)
        for column in indexed:
            op.create_index(f"ix_{name}_{column}", name, [column])


def downgrade() -> None:
    """Drop every table of the schema (and so every map): only for tests and developers."""
    for name in reversed(_tables()):
        op.drop_table(name)
