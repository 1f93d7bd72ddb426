"""Nothing lost on failure: a write that fails half-way leaves the database exactly as before,
and a SQLite database survives the writing process being killed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from mapping.changes.merge import apply_import, plan_import
from mapping.model import Map, Relationship, Stakeholder
from mapping.storage import backup, history
from mapping.storage.store import Store
from tests.store_state import InjectedFailure, database_state, fail_at, rich_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def filled(store, small_map):
    ids = rich_store(store, small_map)
    return store, ids


def test_create_map_failing_half_way_leaves_no_trace(filled, small_map):
    store, _ = filled
    before = database_state(store)
    with fail_at(store, "INSERT INTO relationships") as seen, pytest.raises(InjectedFailure):
        store.create_map(replace(small_map, name="Never stored"))
    assert any(s.startswith("INSERT INTO stakeholders") for s in seen), "failed half-way"
    assert database_state(store) == before


def test_bulk_edit_failing_half_way_keeps_the_map_and_takes_no_snapshot(filled, small_map):
    store, ids = filled
    map_id = ids["second"]
    cur, version = store.load_map(map_id), store.version(map_id)
    edited = cur.with_stakeholders(
        tuple(replace(s, coalition=True, notes="bulk") for s in cur.stakeholders)
    )
    before = database_state(store)
    # on top of the stored map only the changed rows are written: the people, last
    with fail_at(store, "UPDATE stakeholders") as seen, pytest.raises(InjectedFailure):
        history.save_with_snapshot(
            store,
            map_id,
            edited,
            expected_version=version,
            base=cur,
            reason=history.BULK_EDIT,
            name="Before edit stakeholders table",
        )
    done = " | ".join(seen)
    assert "INSERT INTO snapshots" in done and "UPDATE maps" in done
    assert database_state(store) == before
    # and the same edit goes through once the failure is gone
    assert history.save_with_snapshot(
        store, map_id, edited, expected_version=version, base=cur, reason=history.BULK_EDIT
    ) == (version + 1)


def test_merge_import_failing_half_way_changes_nothing(filled):
    store, ids = filled
    map_id = ids["first"]
    cur, version = store.load_map(map_id), store.version(map_id)
    incoming = Map(
        "From the spreadsheet",
        stakeholders=(
            Stakeholder("x1", "Ann Clark", "North ICB", influence=3),
            Stakeholder("x2", "Gus Hale", "Hospice"),
        ),
        relationships=(Relationship("t1", "x1", "x2", "advises"),),
    )
    merged = apply_import(cur, plan_import(cur, incoming))
    assert len(merged.stakeholders) == len(cur.stakeholders) + 1
    before = database_state(store)
    with fail_at(store, "INSERT INTO stakeholders"), pytest.raises(InjectedFailure):
        history.save_with_snapshot(
            store,
            map_id,
            merged,
            expected_version=version,
            base=cur,
            reason=history.IMPORT,
            name="Before import people.csv",
        )
    assert database_state(store) == before


def test_restore_of_a_snapshot_failing_half_way_changes_nothing(filled):
    store, ids = filled
    map_id = ids["first"]
    store.rename_map(map_id, "Changed since the last snapshot")
    before = database_state(store)
    with fail_at(store, "INSERT INTO relationships") as seen, pytest.raises(InjectedFailure):
        history.restore_snapshot(store, map_id, ids["march"])
    assert any(s.startswith("INSERT INTO snapshots") for s in seen), "its safety snapshot"
    assert database_state(store) == before
    assert len(history.list_snapshots(store, map_id)) == 2


def test_deleting_a_map_failing_half_way_keeps_it_and_its_history(filled):
    store, ids = filled
    before = database_state(store)
    with fail_at(store, "DELETE FROM maps"), pytest.raises(InjectedFailure):
        history.delete_map_keeping_history(store, ids["first"])
    assert database_state(store) == before


def test_restoring_a_deleted_map_failing_half_way_changes_nothing(filled):
    store, ids = filled
    before = database_state(store)
    with fail_at(store, "UPDATE ratings"), pytest.raises(InjectedFailure):
        history.restore_deleted_map(store, ids["deleted"])
    assert database_state(store) == before


@pytest.mark.parametrize("replace_all", [True, False])
@pytest.mark.parametrize(("statement", "after"), [("INSERT INTO snapshots", 3), ("INSERT", 9)])
def test_restoring_a_backup_failing_half_way_changes_nothing(filled, replace_all, statement, after):
    store, _ = filled
    data = backup.backup(store)
    before = database_state(store)
    with fail_at(store, statement, after=after) as seen, pytest.raises(InjectedFailure):
        backup.restore_backup(store, data, replace=replace_all)
    assert sum(s.startswith("INSERT") for s in seen) >= 3, "the restore was under way"
    assert database_state(store) == before


def test_saving_settings_failing_half_way_keeps_the_old_ones(filled):
    store, _ = filled
    before = database_state(store)
    with fail_at(store, "INSERT INTO settings"), pytest.raises(InjectedFailure):
        store.save_settings({"theme": "light"})
    assert database_state(store) == before


# --- SQLite: killed while writing ------------------------------------------------------------

WRITER = """
import sys, time
from sqlalchemy import event
from tests.test_failures import big_map
from mapping.storage.store import Store

url, pause = sys.argv[1], sys.argv[2] == "pause"
store = Store(url)
store.engine.dispose()

@event.listens_for(store.engine, "connect")
def small_cache(dbapi_connection, record):
    dbapi_connection.execute("PRAGMA cache_size=5")  # uncommitted pages spill into the log

@event.listens_for(store.engine, "after_cursor_execute")
def hold(conn, cursor, statement, parameters, context, executemany):
    if pause and made == 8 and statement.startswith("INSERT INTO relationships"):
        print("mid-write", flush=True)
        time.sleep(60)

made = 0
keep = store.create_map(big_map(-1))
print("keep", keep, flush=True)
for i in range(10_000):
    map_id = store.create_map(big_map(i))
    made += 1
    print("made", map_id, i, flush=True)
    store.save_map(keep, big_map(i))
    print("saved", keep, i, flush=True)
"""


def big_map(i: int) -> Map:
    """A map big enough that writing it takes a while (so the kill lands mid-write)."""
    people = tuple(
        Stakeholder(f"p{j}", f"Person {i}-{j}", notes="n" * (j % 50), tags=(f"t{i}",))
        for j in range(150)
    )
    ties = tuple(
        Relationship(f"r{j}", f"p{j}", f"p{(j * 7 + i) % 150 or 1}", strength=1 + j % 5)
        for j in range(1, 150)
        if f"p{j}" != f"p{(j * 7 + i) % 150 or 1}"
    )
    return Map(f"Map {i}", stakeholders=people, relationships=ties)


@pytest.mark.parametrize("when", ["pause", 0.0, 0.013, 0.031])
def test_a_sqlite_database_survives_its_writer_being_killed(tmp_path, when):
    """Killed at a random moment of a run of writes, or for sure in the middle of one
    (``pause``: after the map's people were written, with its pages spilt into the log)."""
    path = tmp_path / "killed.sqlite"
    url = f"sqlite:///{path}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, url, "pause" if when == "pause" else "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    try:
        while True:
            line = writer.stdout.readline()
            assert line, writer.stderr.read()
            lines.append(line)
            if when == "pause" and line.startswith("mid-write"):
                break
            if when != "pause" and sum(x.startswith("made") for x in lines) == 8:
                time.sleep(when)
                break
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == -signal.SIGKILL
    lines += writer.stdout.read().splitlines(keepends=True)
    # a line the kill cut short is no report (its save, if any, is the unreported one below)
    lines = [line for line in lines if line.endswith("\n")]
    wal = path.with_name(path.name + "-wal")
    assert wal.exists(), "the log was in use when killed"
    if when == "pause":
        assert wal.stat().st_size > 0

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    store = Store(url)
    made = {int(w[1]): int(w[2]) for w in (line.split() for line in lines) if w[0] == "made"}
    saved = [int(w[2]) for w in (line.split() for line in lines) if w[0] == "saved"]
    keep = next(int(line.split()[1]) for line in lines if line.startswith("keep"))
    for map_id, i in made.items():
        assert store.load_map(map_id) == big_map(i)
    # the kept map is the last committed save, or the one after if it committed unreported
    last = saved[-1] if saved else -1
    assert store.load_map(keep) in (big_map(last), big_map(last + 1))
    extra = {info.id for info in store.list_maps()} - set(made) - {keep}
    assert len(extra) <= 1, "at most the map being written when killed, and only if whole"
    if when == "pause":
        assert (len(made), extra) == (8, set()), "the half-written map is not there at all"
    for map_id in extra:
        assert store.load_map(map_id) == big_map(max(made.values()) + 1)
    store.close()
