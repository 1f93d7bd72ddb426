"""Schema migrations: Alembic scripts that bring any database up to the app's schema.

:class:`mapping.storage.store.Store` calls :func:`upgrade` when it opens a database, so nobody runs
Alembic by hand and no ``alembic.ini`` is needed. The scripts live in ``versions/`` with fixed
revision ids (``0001_baseline`` is the first released schema). A database made before
migrations existed (tables, but no ``alembic_version``) is upgraded by the baseline, which
creates only the tables it lacks.

To add a migration, write ``versions/NNNN_what.py`` by hand (``script.py.mako`` is the
template) with ``down_revision`` set to the current head, and declare its tables in
:mod:`mapping.storage.schema` (a module that declares its own goes in :data:`TABLE_MODULES`); ``tests/test_migrations.py`` checks that the upgraded
schema matches the tables the code declares, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection, Engine

__all__ = [
    "BASELINE",
    "TABLE_MODULES",
    "alembic_config",
    "head",
    "current",
    "upgrade",
    "declared_metadata",
]

FOLDER = Path(__file__).resolve().parent
BASELINE = "0001_baseline"
#: Modules that declare tables on ``mapping.storage.schema.metadata`` (imported for
#: comparisons): every table is in ``schema``.
TABLE_MODULES = ("mapping.storage.schema",)
# An arbitrary number that PostgreSQL sessions lock on while one of them migrates.
_LOCK_ID = 0x0C0A11710


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration made in code, using ``connection`` if given.

    >>> alembic_config().get_main_option("script_location").endswith("migrations")
    True
    """
    config = Config()
    config.set_main_option("script_location", str(FOLDER).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    """The newest revision id: the schema this version of the app expects.

    >>> head() >= BASELINE
    True
    """
    heads = _scripts().get_heads()
    if len(heads) != 1:
        msg = f"The migrations have {len(heads)} heads ({', '.join(heads)}); merge them."
        raise RuntimeError(msg)
    return heads[0]


def current(engine: Engine) -> str | None:
    """The revision the database is at (``None`` if Alembic never touched it)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to ``revision`` (default: the newest) in one transaction.

    A second app starting at the same moment waits (PostgreSQL: an advisory lock; SQLite:
    ``BEGIN IMMEDIATE``) and finds the work done. On SQLite foreign keys are off while
    tables are rebuilt (so no cascade deletes rows) and checked afterwards.
    """
    target = head() if revision == "head" else revision
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if MigrationContext.configure(conn).get_current_revision() == target:
            return
        conn.rollback()
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                if sqlite:  # take the write lock now: DDL inside, a second app waits
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
                if MigrationContext.configure(conn).get_current_revision() != target:
                    command.upgrade(alembic_config(conn), target)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        msg = f"Upgrading the database broke {len(broken)} links between rows."
                        raise RuntimeError(msg)
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def declared_metadata() -> MetaData:
    """The store's metadata with every table the code declares (for schema comparisons)."""
    for name in TABLE_MODULES:
        importlib.import_module(name)
    from mapping.storage.schema import metadata

    return metadata
