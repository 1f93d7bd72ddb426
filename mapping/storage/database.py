"""Where the database is: ``MAPPING_DATABASE_URL`` or a SQLite file in the user's data
folder, the driver a URL is given, and SQLite's settings on each connection."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["DATABASE_URL_VARIABLE", "engine_url", "default_url", "sqlite_pragmas"]


DATABASE_URL_VARIABLE = "MAPPING_DATABASE_URL"


def engine_url(url: str) -> str:
    """The URL SQLAlchemy is given: a plain ``postgresql://`` (or ``postgres://``, as many
    hosts write it) uses the psycopg 3 driver this app installs.

    >>> engine_url("postgres://team@db.example.nhs.uk/coalition")
    'postgresql+psycopg://team@db.example.nhs.uk/coalition'
    >>> engine_url("sqlite:///maps.db")
    'sqlite:///maps.db'
    """
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url.removeprefix(plain)
    return url


def default_url() -> str:
    """``MAPPING_DATABASE_URL`` if set, else a SQLite file in the user's data directory.

    A team shares one PostgreSQL database with
    ``MAPPING_DATABASE_URL=postgresql+psycopg://user:password@host/database``.
    """
    url = os.environ.get(DATABASE_URL_VARIABLE, "").strip()
    if url:
        return url
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    folder = base / "coalition-mapper"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'maps.db'}"


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
