"""Alembic's environment: run the migrations on the connection the store hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

__all__ = ["run"]


def run() -> None:
    """Run the migrations on ``config.attributes["connection"]`` (or ``sqlalchemy.url``)."""
    from mapping.storage.migrations import declared_metadata

    config = context.config
    options = {
        "target_metadata": declared_metadata(),
        "compare_type": True,
        "render_as_batch": True,
    }
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as own:
            context.configure(connection=own, **options)
            with context.begin_transaction():
                context.run_migrations()
        engine.dispose()
        return
    context.configure(connection=connection, **options)
    with context.begin_transaction():
        context.run_migrations()


# Alembic runs this file; anything else (such as pytest's doctest collection) only imports it.
if getattr(context, "config", None) is not None:
    run()
