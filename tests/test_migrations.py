"""Schema migrations: a database of the first released schema, or of no schema version at all,
is upgraded to the newest on both databases with every row intact."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, insert, inspect, select, text

from mapping.changes.ratings import Rating
from mapping.io import project_json
from mapping.model import Map, Relationship, Stakeholder
from mapping.storage import history, migrations, rating_store, reflections
from mapping.storage.store import Store
from tests.fixtures.make_schema_0001 import PATH as FIXTURE
from tests.fixtures.make_schema_0001 import SNAPSHOT

BASELINE_TABLES = (
    "maps",
    "stakeholders",
    "relationships",
    "settings",
    "snapshots",
    "reflections",
    "ratings",
)


def fixture_map() -> Map:
    """The map the fixture holds, written out by hand."""
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
            "Chairs the board",
            ("board",),
        ),
        Stakeholder(
            "zoe",
            "Zoë O'Neill",
            "Carers Together",
            "Chair",
            "patient & carer",
            2,
            5,
            "supporter",
            False,
            "Line one\nline two",
            ("carers", "north"),
            date(2026, 6, 30),
            {"Ward": "Nörth"},
        ),
        Stakeholder(
            "dan",
            "Dan Okafor",
            "Riverside Council",
            "Director of Adult Social Care",
            "local authority & social care",
            4,
            3,
            "sceptic",
        ),
    )
    ties = (
        Relationship("r1", "ann", "zoe", "collaborates", 4, False, "minutes", date(2026, 1, 5)),
        Relationship(
            "r2",
            "ann",
            "dan",
            "commissions",
            2,
            True,
            notes="Contract ends in March",
            custom={"Source": "ICB"},
        ),
    )
    return Map(
        "Riverside discharge",
        "Fixture of the first released schema",
        stakeholders=people,
        relationships=ties,
        positions={"ann": (12.5, -3.0)},
    )


def _plain(value):
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return value


def baseline_rows(engine) -> dict[str, list[tuple]]:
    """Every row of every baseline table, in the baseline's columns, ordered by key."""
    old = MetaData()
    old.reflect(create_engine(f"sqlite:///{FIXTURE}"), only=BASELINE_TABLES)
    now = MetaData()
    now.reflect(engine, only=BASELINE_TABLES)
    rows = {}
    with engine.connect() as conn:
        for name in BASELINE_TABLES:
            table = now.tables[name]
            columns = [table.c[c.name] for c in old.tables[name].c]
            keys = [table.c[c.name] for c in old.tables[name].primary_key]
            rows[name] = [
                tuple(_plain(v) for v in row)
                for row in conn.execute(select(*columns).order_by(*keys))
            ]
    return rows


def copy_fixture_into(url: str) -> None:
    """Make ``url`` a baseline database holding the fixture's rows (any kind of database)."""
    engine = create_engine(url)
    migrations.upgrade(engine, migrations.BASELINE)
    source = MetaData()
    source_engine = create_engine(f"sqlite:///{FIXTURE}")
    source.reflect(source_engine, only=BASELINE_TABLES)
    target = MetaData()
    target.reflect(engine, only=BASELINE_TABLES)
    with source_engine.connect() as read, engine.begin() as write:
        for name in BASELINE_TABLES:
            rows = [
                {k: _plain(v) for k, v in row.items()}
                for row in read.execute(select(source.tables[name])).mappings()
            ]
            write.execute(insert(target.tables[name]), rows)
        if engine.dialect.name == "postgresql":
            for name in ("maps", "snapshots", "reflections", "ratings"):
                write.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name}"
                    )
                )
    source_engine.dispose()
    engine.dispose()


def test_fixture_is_the_first_released_schema():
    with sqlite3.connect(FIXTURE) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (migrations.BASELINE,)
        ]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_fixture_database_opens_upgraded_with_every_row_intact(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURE, path)
    url = f"sqlite:///{path}"
    before = baseline_rows(create_engine(url))
    assert sum(len(rows) for rows in before.values()) == 10

    store = Store(url)
    assert not store.fresh
    assert migrations.current(store.engine) == migrations.head()
    assert baseline_rows(store.engine) == before
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store.close()


@pytest.fixture
def upgraded(database_url):
    """A database of either kind made in the baseline schema with the fixture's rows, then
    opened (so upgraded) by the store."""
    copy_fixture_into(database_url)
    before = baseline_rows(create_engine(database_url))
    store = Store(database_url)
    yield store, before
    store.close()


def test_an_old_database_of_either_kind_upgrades_with_nothing_lost(upgraded):
    store, before = upgraded
    assert migrations.current(store.engine) == migrations.head()
    assert baseline_rows(store.engine) == before

    [info] = store.list_maps()
    assert (info.id, info.name, info.version, info.stakeholders, info.relationships) == (
        1,
        "Riverside discharge",
        3,
        3,
        2,
    )
    assert store.load_map(1) == fixture_map()
    [snap] = history.list_snapshots(store, 1)
    assert (snap.name, snap.reason, snap.map_version, snap.stakeholders) == (
        "Before Dan joined",
        history.MANUAL,
        2,
        2,
    )
    assert history.snapshot_text(store, snap.id) == SNAPSHOT
    assert history.snapshot_map(store, snap.id) == project_json.loads(SNAPSHOT)
    [note] = reflections.list_reflections(store, 1)
    assert (note.text, note.author, note.snapshot_id, note.in_report) == (
        "The council link depends on Dan alone.",
        "the team",
        snap.id,
        True,
    )
    assert note.written_on == date(2026, 1, 21)
    assert rating_store.list_ratings(store, 1) == [Rating("Council", "dan", "stance", "opposed")]
    assert store.load_settings() == {
        "thresholds": {"high_influence": 4, "strong_tie": 4, "stale_months": 12}
    }


def test_an_upgraded_database_keeps_working(upgraded):
    store, _ = upgraded
    m = fixture_map()
    assert store.save_map(1, m.with_stakeholders(m.stakeholders[:2]), expected_version=3) == 4
    new_id = store.create_map(Map("Second"))
    assert new_id == 2
    sid = history.take_snapshot(store, new_id, "First")
    assert sid == 2
    restored = history.restore_snapshot(store, 1, 1)
    assert store.version(1) == restored == 5
    assert store.load_map(1) == project_json.loads(SNAPSHOT)


def test_a_database_made_before_migrations_is_upgraded_in_place(database_url, small_map):
    old = Store(database_url)
    map_id = old.create_map(small_map)
    sid = history.take_snapshot(old, map_id, "Kept")
    with old.engine.begin() as conn:  # as left by a release without Alembic
        conn.execute(text("DROP TABLE alembic_version"))
    old.close()
    assert migrations.current(create_engine(database_url)) is None

    store = Store(database_url)
    assert not store.fresh
    assert migrations.current(store.engine) == migrations.head()
    assert store.load_map(map_id) == small_map
    assert [s.id for s in history.list_snapshots(store, map_id)] == [sid]
    store.close()


def test_the_migrated_schema_is_exactly_the_declared_tables(database_url):
    store = Store(database_url)
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, migrations.declared_metadata()) == []
    store.close()


def test_the_store_never_creates_tables_itself(database_url, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("tables must come from the migrations")

    monkeypatch.setattr(MetaData, "create_all", refuse)
    store = Store(database_url)
    assert store.fresh
    assert set(BASELINE_TABLES) | {"alembic_version"} <= set(
        inspect(store.engine).get_table_names()
    )
    store.close()


def test_apps_starting_together_on_a_new_database_migrate_it_once(database_url):
    errors: list[BaseException] = []
    stores: list[Store] = []

    def start() -> None:
        try:
            stores.append(Store(database_url))
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with stores[0].engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [
            (migrations.head(),)
        ]
    for s in stores:
        s.close()


def test_a_failing_migration_changes_nothing(database_url, monkeypatch):
    url = database_url

    real = Operations.create_table
    made = []

    def fail_on_the_fourth(self, name, *args, **kwargs):
        if len(made) == 3:
            raise RuntimeError("disk full")
        made.append(name)
        return real(self, name, *args, **kwargs)

    monkeypatch.setattr(Operations, "create_table", fail_on_the_fourth)
    with pytest.raises(RuntimeError, match="disk full"):
        Store(url)
    assert made == ["maps", "stakeholders", "relationships"]
    assert inspect(create_engine(url)).get_table_names() == []
