"""Shared fixtures: the read-only shared folder, a small named map, a real SQLite store."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import pytest

from mapping.model import Map, Relationship, Stakeholder
from mapping.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared``; skips on a user's fresh clone without it, fails in CI (CI=true)."""
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED} is missing, and CI must not skip tests that need it.")
        pytest.skip("../shared is not present beside this checkout")
    return SHARED


def make_small_map() -> Map:
    """Six people: a coalition of three, a council reached through one person, a sceptic."""
    people = (
        Stakeholder(
            "ann",
            "Ann Clark",
            "North ICB",
            "Director of Strategy",
            "commissioner",
            5,
            5,
            "champion",
            True,
        ),
        Stakeholder(
            "bob",
            "Dr Bob Singh",
            "City GP Federation",
            "Clinical lead",
            "clinical",
            4,
            4,
            "supporter",
            True,
            tags=("primary care",),
        ),
        Stakeholder(
            "cat",
            "Cat Jones",
            "Eastside Hospital",
            "Chief Executive",
            "provider",
            5,
            3,
            "sceptic",
            False,
        ),
        Stakeholder(
            "dan",
            "Dan Okafor",
            "Riverside Council",
            "Director of Adult Social Care",
            "local authority & social care",
            4,
            4,
            "neutral",
            True,
        ),
        Stakeholder(
            "eve",
            "Eve Lewis",
            "Riverside Council",
            "Commissioning manager",
            "local authority & social care",
            2,
            3,
            "supporter",
            False,
        ),
        Stakeholder(
            "fay",
            "Fay Brown",
            "Carers Together",
            "Coordinator",
            "patient & carer",
            2,
            5,
            "unknown",
            False,
            review_by=date(2026, 1, 31),
        ),
    )
    ties = (
        Relationship("r1", "ann", "bob", "collaborates", 4, last_confirmed=date(2026, 9, 1)),
        Relationship("r2", "ann", "cat", "commissions", 2, directed=True),
        Relationship("r3", "ann", "dan", "collaborates", 3),
        Relationship("r4", "dan", "eve", "reports to", 5, directed=True),
        Relationship("r5", "bob", "cat", "conflict", 2),
    )
    return Map(
        name="Small test map", description="Six people", stakeholders=people, relationships=ties
    )


@pytest.fixture
def small_map() -> Map:
    return make_small_map()


# --- Databases: every store test runs on SQLite and on PostgreSQL ---------------------------

POSTGRES_URL_VARIABLE = "MAPPING_TEST_POSTGRES_URL"
DATABASES = ("sqlite", "postgresql")


def no_postgres() -> None:
    """Skip a PostgreSQL test without a server to test against; fail it in CI (CI=true)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{POSTGRES_URL_VARIABLE} is not set, and CI must test PostgreSQL too.")
    pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set: no PostgreSQL to test against")


class DatabaseFactory:
    """Fresh, empty databases: a SQLite file each, or a PostgreSQL schema each (search_path)."""

    def __init__(self, folder: Path, postgres_url: str | None) -> None:
        self.folder = folder
        self.postgres_url = postgres_url
        self._admin = None
        self._count = 0

    def new(self, kind: str) -> str:
        """The URL of a new empty database of ``kind`` ("sqlite" or "postgresql")."""
        import uuid

        self._count += 1
        if kind == "sqlite":
            return f"sqlite:///{self.folder / f'db{self._count}.sqlite'}"
        from sqlalchemy import create_engine, make_url, text

        if self.postgres_url is None:
            no_postgres()
        if self._admin is None:
            self._admin = create_engine(self.postgres_url)
        schema = f"test_{uuid.uuid4().hex[:16]}"
        with self._admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = make_url(self.postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        """Forget the database at ``url`` (a PostgreSQL schema is dropped; files stay in tmp)."""
        import gc

        from sqlalchemy import make_url, text
        from sqlalchemy.exc import OperationalError

        options = make_url(url).query.get("options")
        if not url.startswith("postgresql") or self._admin is None or not options:
            return
        schema = str(options).removeprefix("-csearch_path=")
        for wait in ("1s", "10s"):
            try:
                with self._admin.begin() as conn:
                    conn.execute(text(f"SET LOCAL lock_timeout = '{wait}'"))
                    conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
                return
            except OperationalError:
                if wait == "10s":
                    raise
                # a store the test did not close still holds a lock: collecting it closes
                # its pooled connections (a full collection costs ~0.5 s late in a run, so
                # only when needed)
                gc.collect()

    def close(self) -> None:
        if self._admin is not None:
            self._admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> str | None:
    """``MAPPING_TEST_POSTGRES_URL`` (a server for the PostgreSQL tests), or ``None``."""
    return os.environ.get(POSTGRES_URL_VARIABLE, "").strip() or None


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory, postgres_url) -> DatabaseFactory:
    """Makes fresh databases of either kind for the whole test session."""
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"), postgres_url)
    yield factory
    factory.close()


@pytest.fixture(scope="session", params=DATABASES)
def database_kind(request, database_factory) -> str:
    """Each database the store supports: "sqlite", then "postgresql" (skipped without a
    server, failed in CI)."""
    if request.param == "postgresql" and database_factory.postgres_url is None:
        no_postgres()
    return request.param


@pytest.fixture
def database_url(database_kind, database_factory) -> str:
    """A fresh, empty database of each kind for one test, dropped afterwards."""
    url = database_factory.new(database_kind)
    yield url
    database_factory.drop(url)


@pytest.fixture
def store(database_url) -> Store:
    """A fresh store on each database the app supports (SQLite, PostgreSQL)."""
    db = Store(database_url)
    yield db
    db.close()


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    """The app's database for one AppTest or browser run: a fresh SQLite file, named in
    ``MAPPING_DATABASE_URL`` as the app reads it."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("MAPPING_DATABASE_URL", url)
    return url


@pytest.fixture
def app_store(db_url) -> Store:
    """A store on the app's database (:func:`db_url`), for setting up and checking what the
    app wrote."""
    db = Store(db_url)
    yield db
    db.close()


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    """An Excel workbook (.xlsx bytes) with one sheet per name, holding its rows."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
