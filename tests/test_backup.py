"""Backup of everything: one file out, the same maps, history and settings back in."""

from __future__ import annotations

import json

import pytest

from mapping.cli import main
from mapping.errors import FormatError, ValidationError
from mapping.io import project_json
from mapping.model import Map
from mapping.storage import backup, history, rating_store, reflections
from mapping.storage.store import Store
from tests.store_state import database_state, rich_store


@pytest.fixture
def source(tmp_path, small_map):
    """A SQLite database with maps, history, a deleted map and settings."""
    db = Store(f"sqlite:///{tmp_path / 'source.sqlite'}")
    ids = rich_store(db, small_map)
    yield db, ids
    db.close()


@pytest.fixture
def target(database_url):
    db = Store(database_url)
    yield db
    db.close()


def content(store: Store) -> dict:
    """What the store holds, without its ids (which a restore renumbers)."""
    maps = []
    for info in sorted(store.list_maps(), key=lambda i: i.id):
        snaps = history.list_snapshots(store, info.id)
        names = {s.id: s.name for s in snaps}
        maps.append(
            {
                "version": info.version,
                "updated_at": info.updated_at.replace(tzinfo=None),
                "project": project_json.dumps(store.load_map(info.id)),
                "snapshots": [
                    (
                        s.name,
                        s.reason,
                        s.taken_at,
                        s.map_version,
                        history.snapshot_text(store, s.id),
                    )
                    for s in snaps
                ],
                "notes": [
                    (
                        n.text,
                        n.author,
                        n.prompt,
                        n.written_on,
                        n.written_at,
                        names.get(n.snapshot_id),
                    )
                    for n in reflections.list_reflections(store, info.id)
                ],
                "chosen": [n.in_report for n in reflections.list_reflections(store, info.id)],
                "ratings": rating_store.list_ratings(store, info.id),
            }
        )
    deleted = [(s.name, s.map_name, s.taken_at, s.digest) for s in history.deleted_maps(store)]
    return {"maps": maps, "deleted": deleted, "settings": store.load_settings()}


def test_a_backup_restored_in_place_of_everything_gives_back_the_same(source, target):
    """From SQLite into either database: also the way to move a team onto PostgreSQL."""
    db, _ = source
    target.create_map(Map("Overwritten"))
    target.save_settings({"theme": "light"})
    data = backup.backup(db)
    summary = backup.restore_backup(target, data, replace=True)
    assert str(summary) == "2 maps, 4 snapshots, 3 notes, 3 ratings and 1 deleted map"
    assert (summary.settings, len(summary.map_ids)) == (2, 2)
    assert content(target) == content(db)
    # and the copy backs up to the same file, but for ids and the time it was made
    again = json.loads(backup.backup(target))
    first = json.loads(data)
    for doc in (again, first):
        doc.pop("made_at")
    assert _without_ids(again) == _without_ids(first)


def _without_ids(doc):
    if isinstance(doc, dict):
        return {
            k: _without_ids(v)
            for k, v in doc.items()
            if k not in ("id", "snapshot_id", "deleted_with")
        }
    if isinstance(doc, list):
        return [_without_ids(v) for v in doc]
    return doc


def test_the_restored_history_still_works(source, target):
    db, _ = source
    backup.restore_backup(target, backup.backup(db), replace=True)
    [gone] = history.deleted_maps(target)
    back = history.restore_deleted_map(target, gone.id)
    assert target.load_map(back).name == "Deleted one"
    assert [n.text for n in reflections.list_reflections(target, back)] == ["Why we stopped"]
    assert len(history.list_snapshots(target, back)) == 2
    first = next(i.id for i in target.list_maps() if i.name == "Small test map")
    [note] = reflections.list_reflections(target, first)
    march = next(s for s in history.list_snapshots(target, first) if s.name == "March board")
    assert note.snapshot_id == march.id
    version = history.restore_snapshot(target, first, march.id)
    assert target.version(first) == version


def test_a_backup_restored_beside_keeps_what_is_there(source, target, small_map):
    db, _ = source
    mine = target.create_map(Map("Mine"))
    target.save_settings({"theme": "light"})
    summary = backup.restore_backup(target, backup.backup(db), replace=False)
    assert target.load_map(mine) == Map("Mine")
    assert target.load_settings() == {"theme": "light"}
    names = sorted(i.name for i in target.list_maps())
    assert names == ["Mine", "Second map", "Small test map"]
    assert mine not in summary.map_ids
    assert len(history.deleted_maps(target)) == 1


def test_a_backup_holds_the_whole_database_as_readable_json(source):
    db, ids = source
    doc = json.loads(backup.backup(db).decode("utf-8"))
    assert (doc["format"], doc["version"]) == ("coalition-mapper-backup", 1)
    assert [m["project"]["map"]["name"] for m in doc["maps"]] == ["Small test map", "Second map"]
    first = doc["maps"][0]
    assert [s["name"] for s in first["snapshots"]] == [
        "March board",
        "Automatic: before a bulk edit",
    ]
    assert first["snapshots"][0]["figures"] is not None
    assert first["reflections"][0]["snapshot_id"] == ids["march"]
    [deleted] = doc["deleted"]
    assert deleted["deleted_with"] == ids["deleted"]
    assert doc["settings"]["theme"] == "dark"
    assert str(backup.read_backup(backup.backup(db))).startswith("2 maps, 4 snapshots")


def damaged(data: bytes, change) -> bytes:
    doc = json.loads(data)
    change(doc)
    return json.dumps(doc).encode()


BAD_FILES = {
    "not JSON": (lambda d: b"{not json", FormatError, "not valid JSON (line 1"),
    "a map file": (
        lambda d: project_json.dumps(Map("A map")).encode(),
        FormatError,
        "not a Coalition Mapper backup",
    ),
    "newer": (
        lambda d: damaged(d, lambda doc: doc.update(version=2)),
        FormatError,
        "version 2; this app reads version 1",
    ),
    "broken map": (
        lambda d: damaged(
            d, lambda doc: doc["maps"][1]["project"]["map"]["relationships"][0].update(to="nobody")
        ),
        ValidationError,
        "Map 2 ('Second map'): ",
    ),
    "damaged snapshot": (
        lambda d: damaged(
            d, lambda doc: doc["maps"][0]["snapshots"][0].update(content="{}", digest="0" * 64)
        ),
        ValidationError,
        "Map 1 ('Small test map'), snapshot 1: its content does not match its checksum",
    ),
    "bad note": (
        lambda d: damaged(
            d,
            lambda doc: doc["maps"][1]["reflections"][0].update(author="them", written_on="soon"),
        ),
        ValidationError,
        "Map 2 ('Second map'), note 1: author 'them' is not one of me, the team",
    ),
    "lost snapshot": (
        lambda d: damaged(d, lambda doc: doc["maps"][0]["snapshots"].pop(0)),
        ValidationError,
        "note 1: it is about a snapshot not in the file",
    ),
    "bad rating": (
        lambda d: damaged(d, lambda doc: doc["maps"][0]["ratings"][0].update(value="furious")),
        ValidationError,
        "Map 1 ('Small test map'), rating 1: ",
    ),
    "too long": (
        lambda d: damaged(d, lambda doc: doc["maps"][0]["snapshots"][0].update(name="x" * 400)),
        ValidationError,
        "the name is 400 characters long; at most 300 can be kept",
    ),
}


@pytest.mark.parametrize("kind", BAD_FILES)
@pytest.mark.parametrize("replace_all", [True, False])
def test_a_bad_backup_writes_nothing_and_says_where(source, target, kind, replace_all):
    db, _ = source
    target.create_map(Map("Still here"))
    make, error, words = BAD_FILES[kind]
    bad = make(backup.backup(db))
    before = database_state(target)
    with pytest.raises(error) as caught:
        backup.restore_backup(target, bad, replace=replace_all)
    assert words in str(caught.value)
    assert database_state(target) == before


def test_every_problem_is_listed_at_once(source):
    db, _ = source

    def two(doc):
        doc["maps"][0]["reflections"][0]["author"] = "x"
        doc["maps"][1]["created_at"] = "yesterday"

    with pytest.raises(ValidationError) as caught:
        backup.read_backup(damaged(backup.backup(db), two))
    assert len(caught.value.problems) == 2
    assert "created_at 'yesterday' is not a date and time" in str(caught.value)


def test_backup_and_restore_from_the_command_line(source, tmp_path, capsys, database_url):
    db, _ = source
    out = tmp_path / "everything.json"
    assert main(["backup", str(out), "--database", db.url]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"Wrote {out} (2 maps, 4 snapshots")
    assert backup.read_backup(out.read_bytes()).maps == 2

    assert main(["restore", str(out), "--database", database_url, "--replace"]) == 0
    assert "in place of everything that was there" in capsys.readouterr().out
    assert main(["restore", str(out), "--database", database_url]) == 0
    assert "beside the maps there" in capsys.readouterr().out
    restored = Store(database_url)
    assert len(restored.list_maps()) == 4
    restored.close()

    out.write_text("{}", encoding="utf-8")
    assert main(["restore", str(out), "--database", database_url]) == 1
    assert capsys.readouterr().err.startswith("error: This file is not a Coalition Mapper backup")
    assert main(["restore", str(tmp_path / "missing.json"), "--database", database_url]) == 1
    assert "Cannot read" in capsys.readouterr().err


def test_the_default_database_is_the_apps_own(monkeypatch, tmp_path, small_map):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("MAPPING_DATABASE_URL", url)
    Store(url).create_map(small_map)
    out = tmp_path / "b.json"
    assert main(["backup", str(out)]) == 0
    assert backup.read_backup(out.read_bytes()).maps == 1
