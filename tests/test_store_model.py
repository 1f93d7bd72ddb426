"""Random sequences of edits, snapshots and restores, on both databases, checked against a
plain in-memory model of what the store should hold (Hypothesis state machine)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete

from mapping.errors import ConflictError, NotFoundError, ValidationError
from mapping.io import project_json
from mapping.model import Map
from mapping.storage import backup, history
from mapping.storage.migrations import declared_metadata
from mapping.storage.store import Store
from tests.test_roundtrip_hypothesis import maps

SMALL_MAPS = maps()
NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


@dataclass
class Entry:
    """What the model expects of one map: its contents, version and snapshots (oldest first)."""

    map: Map
    version: int = 1
    snapshots: list[tuple[int, str, str]] = field(default_factory=list)  # id, reason, text


class StoreModel(RuleBasedStateMachine):
    """The store against a dict of :class:`Entry` by map id, plus deleted maps' snapshots."""

    #: One database for every example of a test, emptied before each.
    store: Store

    def __init__(self) -> None:
        super().__init__()
        with self.store.transaction() as conn:
            for table in reversed(declared_metadata().sorted_tables):
                conn.execute(delete(table))
        self.maps: dict[int, Entry] = {}
        self.deleted: dict[int, list[tuple[int, str, str]]] = {}  # last snapshot -> snapshots

    def pick(self, data) -> int:
        return data.draw(st.sampled_from(sorted(self.maps)), label="map")

    def _auto_snapshot(self, map_id: int, reason: str) -> None:
        """The model of an automatic snapshot: taken unless the latest one holds the same."""
        entry = self.maps[map_id]
        text = project_json.dumps(entry.map)
        if entry.snapshots and entry.snapshots[-1][2] == text:
            return
        newest = history.list_snapshots(self.store, map_id)[0]
        assert newest.reason == reason
        entry.snapshots.append((newest.id, reason, text))

    @initialize(m=SMALL_MAPS)
    def first_map(self, m):
        self.maps[self.store.create_map(m)] = Entry(m)

    @rule(m=SMALL_MAPS)
    def create(self, m):
        map_id = self.store.create_map(m)
        assert map_id not in self.maps
        self.maps[map_id] = Entry(m)

    @precondition(lambda self: self.maps)
    @rule(data=st.data(), m=SMALL_MAPS, stale=st.booleans())
    def save(self, data, m, stale):
        map_id = self.pick(data)
        entry = self.maps[map_id]
        if stale and entry.version > 1:
            with pytest.raises(ConflictError, match="changed by someone else"):
                self.store.save_map(map_id, m, expected_version=entry.version - 1, base=m)
            return
        assert self.store.save_map(map_id, m, expected_version=entry.version) == entry.version + 1
        entry.map, entry.version = m, entry.version + 1

    @precondition(lambda self: any(e.map.stakeholders for e in self.maps.values()))
    @rule(data=st.data())
    def bulk_edit(self, data):
        """Everyone in or out of the coalition, with an automatic snapshot first (the UI path)."""
        map_id = data.draw(
            st.sampled_from(sorted(i for i, e in self.maps.items() if e.map.stakeholders))
        )
        entry = self.maps[map_id]
        flag = data.draw(st.booleans())
        new = entry.map.with_stakeholders(
            tuple(replace(s, coalition=flag) for s in entry.map.stakeholders)
        )
        version = history.save_with_snapshot(
            self.store,
            map_id,
            new,
            expected_version=entry.version,
            base=entry.map,
            reason=history.BULK_EDIT,
            name="Before edit stakeholders table",
        )
        self._auto_snapshot(map_id, history.BULK_EDIT)
        entry.map, entry.version = new, version
        assert version == self.store.version(map_id)

    @precondition(lambda self: self.maps)
    @rule(data=st.data(), name=NAMES)
    def rename(self, data, name):
        map_id = self.pick(data)
        entry = self.maps[map_id]
        if not name.strip():
            with pytest.raises(ValidationError):
                self.store.rename_map(map_id, name)
            return
        self.store.rename_map(map_id, name)
        entry.map, entry.version = replace(entry.map, name=name.strip()), entry.version + 1

    @precondition(lambda self: self.maps)
    @rule(data=st.data())
    def duplicate(self, data):
        map_id = self.pick(data)
        copy = self.store.duplicate_map(map_id)
        original = self.maps[map_id].map
        self.maps[copy] = Entry(replace(original, name=f"Copy of {original.name}"))

    @precondition(lambda self: self.maps)
    @rule(data=st.data(), name=NAMES)
    def snapshot(self, data, name):
        map_id = self.pick(data)
        sid = history.take_snapshot(self.store, map_id, name)
        text = project_json.dumps(self.maps[map_id].map)
        self.maps[map_id].snapshots.append((sid, history.MANUAL, text))

    @precondition(lambda self: any(e.snapshots for e in self.maps.values()))
    @rule(data=st.data())
    def restore(self, data):
        map_id = data.draw(st.sampled_from(sorted(i for i, e in self.maps.items() if e.snapshots)))
        entry = self.maps[map_id]
        sid, _, text = data.draw(st.sampled_from(entry.snapshots))
        version = history.restore_snapshot(self.store, map_id, sid, expected_version=entry.version)
        self._auto_snapshot(map_id, history.RESTORE)
        entry.map, entry.version = project_json.loads(text), version
        assert version == self.store.version(map_id)

    @precondition(lambda self: self.maps)
    @rule(data=st.data())
    def delete(self, data):
        map_id = self.pick(data)
        entry = self.maps.pop(map_id)
        last = history.delete_map_keeping_history(self.store, map_id)
        text = project_json.dumps(entry.map)
        self.deleted[last] = [*entry.snapshots, (last, history.DELETION, text)]
        with pytest.raises(NotFoundError):
            self.store.load_map(map_id)

    @precondition(lambda self: self.deleted)
    @rule(data=st.data())
    def bring_back(self, data):
        last = data.draw(st.sampled_from(sorted(self.deleted)))
        snapshots = self.deleted.pop(last)
        map_id = history.restore_deleted_map(self.store, last)
        kept = list(reversed(history.list_snapshots(self.store, map_id)))
        assert [s.reason for s in kept] == [r for _, r, _ in snapshots]
        known = [i for i, _, _ in snapshots]
        assert all(i is None or i == s.id for i, s in zip(known, kept, strict=True))
        snapshots = [(s.id, r, t) for s, (_, r, t) in zip(kept, snapshots, strict=True)]
        self.maps[map_id] = Entry(project_json.loads(snapshots[-1][2]), 1, snapshots)

    @rule(replace_all=st.booleans())
    def backup_and_restore(self, replace_all):
        """A backup restored in place of everything gives back the same (renumbered);
        restored beside, a copy of every map and deleted map is added."""
        data = backup.backup(self.store)
        old_maps = sorted(self.maps)
        old_deleted = [s.id for s in history.deleted_maps(self.store)]
        summary = backup.restore_backup(self.store, data, replace=replace_all)
        assert len(summary.map_ids) == len(old_maps)
        copies = {new: self.maps[old] for old, new in zip(old_maps, summary.map_ids, strict=True)}
        now_deleted = [s.id for s in history.deleted_maps(self.store)]
        if not replace_all:
            now_deleted = [i for i in now_deleted if i not in old_deleted]
        # both lists are newest first; earlier snapshots' new ids are read when brought back
        gone = {
            new: [(None, r, t) for _, r, t in self.deleted[old][:-1]]
            + [(new, *self.deleted[old][-1][1:])]
            for old, new in zip(old_deleted, now_deleted, strict=True)
        }
        for new, entry in copies.items():
            ids = [s.id for s in reversed(history.list_snapshots(self.store, new))]
            copy = Entry(entry.map, entry.version, [])
            copy.snapshots = [(i, r, t) for i, (_, r, t) in zip(ids, entry.snapshots, strict=True)]
            copies[new] = copy
        if replace_all:
            self.maps, self.deleted = copies, gone
        else:
            self.maps.update(copies)
            self.deleted.update(gone)

    @invariant()
    def store_holds_what_the_model_says(self):
        infos = {info.id: info for info in self.store.list_maps()}
        assert set(infos) == set(self.maps)
        for map_id, entry in self.maps.items():
            assert self.store.load_map(map_id) == entry.map
            assert infos[map_id].version == entry.version
            assert infos[map_id].stakeholders == len(entry.map.stakeholders)
            snaps = history.list_snapshots(self.store, map_id)
            assert [(s.id, s.reason) for s in snaps] == [
                (i, r) for i, r, _ in reversed(entry.snapshots)
            ]
            for s, (_, _, text) in zip(snaps, reversed(entry.snapshots), strict=True):
                assert history.snapshot_text(self.store, s.id) == text
        assert {s.id for s in history.deleted_maps(self.store)} == set(self.deleted)
        for last, snapshots in self.deleted.items():
            assert history.snapshot_text(self.store, last) == snapshots[-1][2]


def test_the_store_behaves_like_its_model(database_url):
    class Machine(StoreModel):
        store = Store(database_url)

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=30,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
    Machine.store.close()
