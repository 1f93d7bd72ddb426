"""The store keeps maps in a real database (SQLite file and PostgreSQL), one transaction per action."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from mapping.errors import ConflictError, NotFoundError, ValidationError
from mapping.model import Map, Relationship, Stakeholder
from mapping.storage.store import Store


def test_map_survives_a_restart_unchanged(database_url, small_map):
    first = Store(database_url)
    map_id = first.create_map(small_map)
    first.close()
    second = Store(database_url)
    assert second.load_map(map_id) == small_map
    second.close()


def test_unicode_html_and_dates_round_trip(store):
    s = Stakeholder(
        "x1",
        "Zoë <script>alert('x')</script> \"Q\" ربيع",
        notes="a & b\nline two",
        tags=("α", "b"),
        review_by=date(2027, 3, 1),
        custom={"Ward": "Nörth"},
    )
    t = Stakeholder("x2", "Bo")
    r = Relationship("r", "x1", "x2", "funds", 5, True, "minutes", date(2025, 1, 2), "n")
    m = Map(name="Ünïcode", stakeholders=(s, t), relationships=(r,), positions={"x1": (1.5, -2)})
    map_id = store.create_map(m)
    assert store.load_map(map_id) == m


def test_many_maps_are_kept_apart_and_listed(store, small_map):
    a = store.create_map(small_map)
    b = store.create_map(Map(name="Second"))
    infos = {info.id: info for info in store.list_maps()}
    assert infos[a].stakeholders == 6 and infos[a].relationships == 5
    assert infos[b].stakeholders == 0 and infos[b].name == "Second"
    assert store.load_map(b).stakeholders == ()


def test_save_replaces_contents_and_raises_version(store, small_map):
    map_id = store.create_map(small_map)
    smaller = small_map.with_stakeholders(small_map.stakeholders[:2])
    assert store.save_map(map_id, smaller) == 2
    loaded = store.load_map(map_id)
    assert [s.id for s in loaded.stakeholders] == ["ann", "bob"]
    assert [r.id for r in loaded.relationships] == ["r1"]


def test_invalid_save_writes_nothing(store, small_map):
    map_id = store.create_map(small_map)
    bad = small_map.with_relationships(
        (*small_map.relationships, Relationship("r9", "ann", "nobody"))
    )
    with pytest.raises(ValidationError, match="unknown stakeholder 'nobody'"):
        store.save_map(map_id, bad)
    assert store.load_map(map_id) == small_map
    assert store.version(map_id) == 1


def test_stale_save_is_refused_with_conflict(store, small_map):
    map_id = store.create_map(small_map)
    store.save_map(map_id, replace(small_map, description="changed by a colleague"))
    with pytest.raises(ConflictError, match="changed by someone else"):
        store.save_map(map_id, small_map, expected_version=1)
    assert store.load_map(map_id).description == "changed by a colleague"


def test_rename_duplicate_delete(store, small_map):
    map_id = store.create_map(small_map)
    store.rename_map(map_id, "  Renamed  ")
    assert store.load_map(map_id).name == "Renamed"
    copy_id = store.duplicate_map(map_id)
    copy = store.load_map(copy_id)
    assert copy.name == "Copy of Renamed"
    assert copy.stakeholders == small_map.stakeholders
    store.delete_map(map_id)
    with pytest.raises(NotFoundError):
        store.load_map(map_id)
    assert [i.id for i in store.list_maps()] == [copy_id]
    with pytest.raises(ValidationError):
        store.rename_map(copy_id, "   ")


def test_database_is_a_real_sqlite_file_in_wal_mode(tmp_path, small_map):
    path = tmp_path / "maps.db"
    store = Store(f"sqlite:///{path}")
    store.create_map(small_map)
    store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM stakeholders").fetchone()[0] == 6


def test_default_url_honours_environment(monkeypatch, tmp_path):
    from mapping.storage.store import default_url

    monkeypatch.setenv("MAPPING_DATABASE_URL", "sqlite:///elsewhere.db")
    assert default_url() == "sqlite:///elsewhere.db"
    monkeypatch.delenv("MAPPING_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_url() == f"sqlite:///{tmp_path / 'coalition-mapper' / 'maps.db'}"


def test_a_plain_postgresql_url_uses_the_installed_driver(database_url, small_map):
    plain = database_url.replace("postgresql+psycopg://", "postgresql://")
    store = Store(plain)
    assert store.url == plain
    map_id = store.create_map(small_map)
    assert store.load_map(map_id) == small_map
    store.close()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda m: replace(m, name="N" * 301),
            "The map: the name is 301 characters long; at most 300 can be kept. Shorten it.",
        ),
        (
            lambda m: m.with_stakeholders(
                (replace(m.stakeholders[0], organisation="O" * 501), *m.stakeholders[1:])
            ),
            "Stakeholder 'ann' (row 1): the organisation is 501 characters long; at most 500",
        ),
        (
            lambda m: m.with_relationships(
                (*m.relationships[:-1], replace(m.relationships[-1], notes="a\x00b"))
            ),
            "Relationship 'r5' (row 5): the notes holds a NUL character (code 0)",
        ),
        (
            lambda m: replace(m, positions={"ann": (float("nan"), 0.0)}),
            "The place on the map of 'ann' is not a finite number",
        ),
    ],
    ids=["long map name", "long organisation", "NUL in notes", "NaN position"],
)
def test_what_a_database_cannot_keep_is_refused_alike_on_both(store, small_map, change, words):
    """SQLite would keep these, PostgreSQL would not: both refuse them, with the same words,
    whether the save writes the whole map or only the rows that changed (given the map as
    stored), and neither keeps any part of it."""
    map_id = store.create_map(small_map)
    with pytest.raises(ValidationError) as caught:
        store.save_map(map_id, change(small_map))
    assert words in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        store.save_map(map_id, change(small_map), expected_version=1, base=small_map)
    assert words in str(caught.value)
    assert store.version(map_id) == 1
    with pytest.raises(ValidationError):
        store.create_map(change(small_map))
    assert store.load_map(map_id) == small_map
    assert [i.id for i in store.list_maps()] == [map_id]


def test_the_database_itself_keeps_ties_to_people_of_the_same_map(store, small_map):
    """The composite foreign keys hold on both databases, whatever the code above does."""
    from sqlalchemy import delete, insert, select
    from sqlalchemy.exc import IntegrityError

    from mapping.storage.schema import maps_table, relationships_table, stakeholders_table

    a = store.create_map(small_map)
    b = store.create_map(replace(small_map, name="Other"))
    row = {
        "map_id": a,
        "id": "r9",
        "ordinal": 9,
        "source": "ann",
        "target": "nobody",
        "type": "funds",
        "strength": 3,
        "directed": False,
        "how_we_know": "",
        "last_confirmed": None,
        "notes": "",
        "custom": {},
    }
    with pytest.raises(IntegrityError), store.transaction() as conn:
        conn.execute(insert(relationships_table).values(**row))
    # a tie of map a cannot point at map b's people even where the ids match
    other = replace(small_map, name="Other")
    store.save_map(b, other.with_stakeholders((*other.stakeholders, Stakeholder("zed", "Zed"))))
    with pytest.raises(IntegrityError), store.transaction() as conn:
        conn.execute(insert(relationships_table).values(**{**row, "target": "zed"}))
    with store.transaction() as conn:
        conn.execute(delete(maps_table).where(maps_table.c.id == a))
        left = conn.execute(
            select(stakeholders_table.c.map_id).where(stakeholders_table.c.map_id == a)
        ).all()
        ties = conn.execute(
            select(relationships_table.c.map_id).where(relationships_table.c.map_id == a)
        ).all()
    assert (left, ties) == ([], [])
    assert store.load_map(b).name == "Other"
